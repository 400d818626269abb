package dev.wrenn.control.quota;

import dev.wrenn.control.db.Database;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.error.ErrorCode;
import java.time.Clock;
import org.jdbi.v3.core.Handle;

/**
 * Checks a team's request against its quota before anything is made, so a refused create leaves no row and no VM.
 * A create checks twice: early (no work for a request that cannot pass) and again inside the transaction that
 * inserts its pending row, after taking the team's lock ({@link #reserveRun}), so creates racing at the limit cannot
 * together exceed it. Resumes, pauses and snapshots check once, before acting.
 */
public final class QuotaService implements QuotaChecks {
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
        return repository.usage(teamId);
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
        Usage withNew = repository.usage(h, teamId);
        requireRun(quota, withNew.withoutSandbox(vcpus, memoryMb), vcpus, memoryMb);
    }

    private static void requireRun(Quota quota, Usage used, int vcpus, int memoryMb) {
        require(used.running() + 1 <= quota.running(), "running sandboxes", quota.running(), used.running());
        require(used.vcpus() + vcpus <= quota.vcpus(), "vCPUs", quota.vcpus(), used.vcpus());
        require(used.memoryMb() + memoryMb <= quota.memoryMb(), "MiB of memory", quota.memoryMb(), used.memoryMb());
    }

    @Override
    public void checkPause(String teamId) {
        Quota quota = effective(teamId);
        Usage used = usage(teamId);
        require(used.paused() + 1 <= quota.paused(), "paused sandboxes", quota.paused(), used.paused());
    }

    @Override
    public void checkTemplate(String teamId) {
        Quota quota = effective(teamId);
        Usage used = usage(teamId);
        require(used.templates() + 1 <= quota.templates(), "templates", quota.templates(), used.templates());
        require(used.diskMb() < quota.diskMb(), "MiB of template disk", quota.diskMb(), used.diskMb());
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
