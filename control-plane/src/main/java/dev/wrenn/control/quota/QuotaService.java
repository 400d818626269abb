package dev.wrenn.control.quota;

import dev.wrenn.control.db.Database;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.error.ErrorCode;
import dev.wrenn.control.ids.Ids;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BiConsumer;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a team's request against its quota before anything is made, so a refused create leaves no row and no VM.
 * A create checks twice: early (no work for a request that cannot pass) and again inside the transaction that
 * inserts its pending row, after taking the team's lock ({@link #reserveRun}), so creates racing at the limit cannot
 * together exceed it. Resumes, pauses and snapshots check the same way before acting and hold what they will use
 * as a reservation row until their result is written ({@link #reserveResume}), so they race neither each other nor
 * creates.
 */
public final class QuotaService implements QuotaChecks {
    /** Past the host calls' deadline: a reservation left by a control plane that died mid-call stops counting. */
    static final Duration RESERVATION_TTL = Duration.ofMinutes(15);

    private static final Logger LOG = LoggerFactory.getLogger(QuotaService.class);

    private final QuotaRepository repository;
    private final Quota defaults;
    private final Clock clock;

    public QuotaService(Database database, Quota defaults, Clock clock) {
        this.repository = new QuotaRepository(database);
        this.defaults = defaults;
        this.clock = clock;
    }

    public Quota effective(String teamId) {
        return defaults.with(repository.find(teamId).orElse(QuotaRequest.NONE));
    }

    public Usage usage(String teamId) {
        return repository.usage(teamId, clock.instant());
    }

    public void set(String teamId, QuotaRequest request) {
        repository.save(teamId, request.checked(), clock.instant());
    }

    @Override
    public void checkRun(String teamId, int vcpus, int memoryMb) {
        requireRun(effective(teamId), usage(teamId), vcpus, memoryMb);
    }

    @Override
    public void reserveRun(Handle h, String teamId, int vcpus, int memoryMb) {
        repository.lockTeam(h, teamId);
        Quota quota = defaults.with(repository.find(h, teamId).orElse(QuotaRequest.NONE));
        Usage withNew = repository.usage(h, teamId, clock.instant());
        requireRun(quota, withNew.withoutSandbox(vcpus, memoryMb), vcpus, memoryMb);
    }

    private static void requireRun(Quota quota, Usage used, int vcpus, int memoryMb) {
        require(used.running() + 1 <= quota.running(), "running sandboxes", quota.running(), used.running());
        require(used.vcpus() + vcpus <= quota.vcpus(), "vCPUs", quota.vcpus(), used.vcpus());
        require(used.memoryMb() + memoryMb <= quota.memoryMb(), "MiB of memory", quota.memoryMb(), used.memoryMb());
    }

    @Override
    public Reservation reserveResume(String teamId, int vcpus, int memoryMb) {
        return reserve(
                teamId,
                new Usage(1, vcpus, memoryMb, 0, 0, 0),
                (quota, used) -> requireRun(quota, used, vcpus, memoryMb));
    }

    @Override
    public Reservation reservePause(String teamId) {
        return reserve(
                teamId,
                new Usage(0, 0, 0, 0, 1, 0),
                (quota, used) -> require(
                        used.paused() + 1 <= quota.paused(), "paused sandboxes", quota.paused(), used.paused()));
    }

    @Override
    public Reservation reserveTemplate(String teamId) {
        return reserve(teamId, new Usage(0, 0, 0, 0, 0, 1), (quota, used) -> {
            require(used.templates() + 1 <= quota.templates(), "templates", quota.templates(), used.templates());
            require(used.diskMb() < quota.diskMb(), "MiB of template disk", quota.diskMb(), used.diskMb());
        });
    }

    /**
     * Checks the team's usage (rows and live reservations) and inserts the reservation in one transaction after taking
     * the team's lock, as {@link #reserveRun} does for a create; the returned reservation deletes the row.
     */
    private Reservation reserve(String teamId, Usage held, BiConsumer<Quota, Usage> check) {
        Instant now = clock.instant();
        String id = "qr-" + Ids.hex(16);
        repository.inTransaction(h -> {
            repository.lockTeam(h, teamId);
            repository.deleteExpiredReservations(h, now);
            Quota quota = defaults.with(repository.find(h, teamId).orElse(QuotaRequest.NONE));
            check.accept(quota, repository.usage(h, teamId, now));
            repository.insertReservation(h, id, teamId, held, now.plus(RESERVATION_TTL));
        });
        return () -> release(id);
    }

    /** Best effort: the operation has its result, and a row left behind stops counting at its expiry. */
    private void release(String reservationId) {
        try {
            repository.deleteReservation(reservationId);
        } catch (RuntimeException e) {
            LOG.warn("could not release quota reservation {}; it expires in {}", reservationId, RESERVATION_TTL, e);
        }
    }

    private static void require(boolean within, String what, int limit, int used) {
        if (!within) {
            throw new ApiException(
                    ErrorCode.QUOTA_EXCEEDED,
                    "team quota exceeded: at most " + limit + " " + what + " (in use: " + used
                            + "); ask an administrator to raise it");
        }
    }
}
