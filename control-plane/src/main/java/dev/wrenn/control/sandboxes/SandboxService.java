package dev.wrenn.control.sandboxes;

import dev.wrenn.control.audit.AuditActions;
import dev.wrenn.control.audit.AuditTrail;
import dev.wrenn.control.db.Sandbox;
import dev.wrenn.control.db.SandboxOperation;
import dev.wrenn.control.db.SandboxRepository;
import dev.wrenn.control.db.SandboxStatus;
import dev.wrenn.control.db.TemplateRepository;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.error.ErrorCode;
import dev.wrenn.control.hosts.HostAgentClient;
import dev.wrenn.control.ids.Ids;
import dev.wrenn.control.quota.QuotaChecks;
import dev.wrenn.protocol.hostagent.v1.CreateSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.CreateSandboxResponse;
import dev.wrenn.protocol.hostagent.v1.ResumeSandboxResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A team's sandboxes: create, look up, destroy, and the checks the exec and file routes share. Every status change
 * is a compare-and-set on the status it was read in ({@link SandboxRepository#updateIfStatus}), so a DELETE racing a
 * create, or the reconciler racing either, never overwrites the other's outcome.
 */
public final class SandboxService {
    /** Until placement over several hosts exists, every sandbox lives on the one host agent. */
    public static final String DEFAULT_HOST = "default";

    private static final Logger LOG = LoggerFactory.getLogger(SandboxService.class);

    private final SandboxRepository sandboxes;
    private final TemplateAccess templateAccess;
    private final HostAgentClient hostAgent;
    private final Clock clock;
    /** {@link QuotaChecks#NONE} where no user request arrives (the E2B timeout scheduler's and the proxy's wiring). */
    private final QuotaChecks quotas;

    private final AuditTrail audit;
    private final NetworkRulesRepository network;

    public SandboxService(
            SandboxRepository sandboxes, TemplateRepository templates, HostAgentClient hostAgent, Clock clock) {
        this(sandboxes, templates, hostAgent, clock, QuotaChecks.NONE);
    }

    public SandboxService(
            SandboxRepository sandboxes,
            TemplateRepository templates,
            HostAgentClient hostAgent,
            Clock clock,
            QuotaChecks quotas) {
        this(sandboxes, templates, hostAgent, clock, quotas, AuditTrail.NONE);
    }

    public SandboxService(
            SandboxRepository sandboxes,
            TemplateRepository templates,
            HostAgentClient hostAgent,
            Clock clock,
            QuotaChecks quotas,
            AuditTrail audit) {
        this.quotas = quotas;
        this.network = new NetworkRulesRepository(sandboxes.database());
        this.audit = audit;
        this.sandboxes = sandboxes;
        this.templateAccess = new TemplateAccess(templates);
        this.hostAgent = hostAgent;
        this.clock = clock;
    }

    /** Inserts the sandbox as pending, boots it on the host agent, and returns it running (or throws, left in error). */
    public Sandbox create(String teamId, SandboxSpec requested) {
        return create(teamId, requested, Map.of());
    }

    /**
     * Like {@link #create(String, SandboxSpec)}, with environment variables the guest agent receives at its /init,
     * before this returns (they are not stored: they may hold secrets).
     */
    public Sandbox create(String teamId, SandboxSpec requested, Map<String, String> envVars) {
        return create(teamId, requested, envVars, (h, pending) -> {});
    }

    /**
     * Like {@link #create(String, SandboxSpec, Map)}; {@code alongside} writes rows that belong with the sandbox in
     * the transaction that inserts it (E2B's end time), so no crash leaves a sandbox without them. While the call
     * is in flight the reconciler leaves the pending row alone; once this process is gone, it settles it.
     */
    public Sandbox create(
            String teamId, SandboxSpec requested, Map<String, String> envVars, BiConsumer<Handle, Sandbox> alongside) {
        return create(teamId, requested, envVars, NetworkRules.UNSET, alongside);
    }

    /** The same, with the sandbox's egress rules, stored with the row and enforced by the host from its boot on. */
    public Sandbox create(
            String teamId,
            SandboxSpec requested,
            Map<String, String> envVars,
            NetworkRules rules,
            BiConsumer<Handle, Sandbox> alongside) {
        String id = Ids.sandbox();
        try (InFlight.Call call = InFlight.begin(id)) {
            return create(id, teamId, requested, envVars, rules, alongside);
        }
    }

    private Sandbox create(
            String id,
            String teamId,
            SandboxSpec requested,
            Map<String, String> envVars,
            NetworkRules rules,
            BiConsumer<Handle, Sandbox> alongside) {
        // A snapshot was frozen with its sizes; its files are stored on the host under the template's id.
        TemplateAccess.BootSource source = templateAccess.resolve(teamId, requested.template());
        SandboxSpec spec = requested.withSizes(source.vcpus(), source.memoryMb());
        String agentTemplate = source.agentName();
        quotas.checkRun(teamId, spec.vcpus(), spec.memoryMb());
        Instant now = now();
        Sandbox pending = new Sandbox(
                id,
                teamId,
                DEFAULT_HOST,
                spec.template(),
                SandboxStatus.PENDING,
                spec.vcpus(),
                spec.memoryMb(),
                spec.timeoutSec(),
                "",
                spec.metadata(),
                null,
                now,
                null,
                null,
                now);
        // The quota is checked again inside the insert's transaction, serialised per team, so racing creates cannot
        // together pass it; the audit line commits with the row.
        Consumer<Handle> audited =
                audit.entry(teamId, AuditActions.SANDBOX_CREATED, id, Map.of("template", spec.template()));
        sandboxes.insert(pending, (h, inserted) -> {
            quotas.reserveRun(h, teamId, spec.vcpus(), spec.memoryMb());
            audited.accept(h);
            if (!rules.isUnset()) {
                NetworkRulesRepository.save(h, id, rules);
            }
            alongside.accept(h, inserted);
        });
        CreateSandboxResponse booted = boot(pending, agentTemplate, envVars, rules);
        Sandbox running = pending.running(booted.getHostIp(), now());
        if (!sandboxes.updateIfStatus(running, SandboxStatus.PENDING)) {
            destroyQuietly(pending.id());
            throw new ApiException(
                    ErrorCode.CONFLICT, "sandbox " + pending.id() + " was destroyed while it was being created");
        }
        return running;
    }

    public List<Sandbox> listLive(String teamId) {
        return sandboxes.listLive(teamId);
    }

    /** @throws ApiException 404 if the team has no such sandbox (another team's is as unknown as a made-up id) */
    public Sandbox get(String teamId, String id) {
        return sandboxes.find(teamId, id).orElseThrow(() -> ApiException.notFound("sandbox " + id + " not found"));
    }

    /**
     * The sandbox if its status allows {@code operation} ({@link SandboxOperation}, the one table every route
     * checks); 404 if unknown, 409 {@code invalid_state} with the table's message otherwise.
     */
    public Sandbox require(String teamId, String id, SandboxOperation operation) {
        Sandbox sandbox = get(teamId, id);
        if (!operation.allowedIn(sandbox.status())) {
            throw new ApiException(ErrorCode.INVALID_STATE, operation.refusal(sandbox));
        }
        return sandbox;
    }

    /**
     * Pauses a running sandbox (its memory and disk are kept on the host) and returns it paused. When the agent's
     * inactivity reaper paused it first, the caller still gets what it asked for, so that counts as success.
     *
     * @throws ApiException 404 if unknown, 409 {@code invalid_state} if not running
     */
    public Sandbox pause(String teamId, String id) {
        Sandbox running = require(teamId, id, SandboxOperation.PAUSE);
        try (QuotaChecks.Reservation held = quotas.reservePause(teamId)) {
            try {
                hostAgent.pauseSandbox(id);
            } catch (ApiException e) {
                if (e.code() != ErrorCode.CONFLICT || !agentHasPaused(id)) {
                    throw e;
                }
            }
            return markPaused(running);
        }
    }

    /**
     * Resumes a paused sandbox with its idle timeout; it comes back on a new address with fresh start and activity
     * times.
     *
     * @throws ApiException 404 if unknown, 409 {@code invalid_state} if not paused, 409 {@code conflict} if it was
     *     destroyed while resuming
     */
    public Sandbox resume(String teamId, String id) {
        Sandbox paused = require(teamId, id, SandboxOperation.RESUME);
        // A resume the host finishes after this call gave up leaves the row paused over a running VM: the
        // reconciler adopts it once the call is no longer in flight.
        try (QuotaChecks.Reservation held = quotas.reserveResume(teamId, paused.vcpus(), paused.memoryMb());
                InFlight.Call call = InFlight.begin(id)) {
            // The rules as stored here: the host's own copy may be older (an agent restarted since the pause).
            ResumeSandboxResponse resumed = hostAgent.resumeSandbox(
                    id, paused.timeoutSec(), network.find(id).toProto());
            Sandbox running = paused.running(resumed.getHostIp(), now());
            if (!sandboxes.updateIfStatus(running, SandboxStatus.PAUSED)) {
                destroyQuietly(id);
                throw new ApiException(
                        ErrorCode.CONFLICT, "sandbox " + id + " was destroyed while it was being resumed");
            }
            return running;
        }
    }

    /** The sandbox's egress rules ({@link NetworkRules#UNSET} when its owner gave none). */
    public NetworkRules networkRules(String sandboxId) {
        return network.find(sandboxId);
    }

    /**
     * Replaces the egress rules of a running or paused sandbox: stored, then applied by the host (a running one's at
     * once, cutting its open connections to newly denied addresses). When the host refuses, the old rules are
     * stored again, so the record never shows rules the sandbox does not have.
     *
     * @throws ApiException 404 if unknown, 409 {@code invalid_state} unless running or paused
     */
    public void updateNetwork(String teamId, String id, NetworkRules rules) {
        require(teamId, id, SandboxOperation.UPDATE_NETWORK);
        NetworkRules before = network.find(id);
        network.save(id, rules);
        try {
            hostAgent.updateSandboxNetwork(id, rules.toProto());
        } catch (RuntimeException e) {
            network.save(id, before);
            throw e;
        }
        LOG.info("sandbox {} egress rules replaced", id);
    }

    /**
     * Records that the agent paused {@code running}. Losing the compare-and-set to the reconciler (which saw the
     * same pause) is fine; losing it to a DELETE is a conflict.
     */
    public Sandbox markPaused(Sandbox running) {
        Sandbox paused = running.withStatus(SandboxStatus.PAUSED, now());
        if (sandboxes.updateIfStatus(paused, SandboxStatus.RUNNING)) {
            return paused;
        }
        Sandbox current = get(running.teamId(), running.id());
        if (current.status() != SandboxStatus.PAUSED) {
            throw new ApiException(
                    ErrorCode.CONFLICT,
                    "sandbox " + running.id() + " became " + current.status().wireName()
                            + " while it was being paused");
        }
        return current;
    }

    private boolean agentHasPaused(String id) {
        try {
            return hostAgent.getSandbox(id).getStatus()
                    == dev.wrenn.protocol.hostagent.v1.SandboxStatus.SANDBOX_STATUS_PAUSED;
        } catch (ApiException e) {
            return false;
        }
    }

    /** Records activity (exec, files, ping) so that idle-time decisions see it. */
    public void touch(Sandbox sandbox) {
        sandboxes.touch(sandbox.id(), now());
    }

    /** Stops the VM (an agent that no longer knows it is fine) and marks the sandbox stopped; idempotent. */
    public void destroy(String teamId, String id) {
        Sandbox sandbox = get(teamId, id);
        if (!SandboxOperation.DESTROY.allowedIn(sandbox.status())) {
            return; // stopped already: destroying is idempotent
        }
        try {
            hostAgent.destroySandbox(id);
        } catch (ApiException e) {
            if (e.code() != ErrorCode.NOT_FOUND) {
                throw e;
            }
        }
        markStopped(sandbox);
        audit.record(teamId, AuditActions.SANDBOX_DELETED, id);
    }

    /** Retries the compare-and-set until the row is stopped: a create or the reconciler may move it meanwhile. */
    private void markStopped(Sandbox read) {
        Sandbox current = read;
        while (current.status() != SandboxStatus.STOPPED) {
            if (sandboxes.updateIfStatus(current.withStatus(SandboxStatus.STOPPED, now()), current.status())) {
                return;
            }
            current = sandboxes.find(current.teamId(), current.id()).orElse(null);
            if (current == null) {
                return;
            }
        }
    }

    private CreateSandboxResponse boot(
            Sandbox pending, String agentTemplate, Map<String, String> envVars, NetworkRules rules) {
        CreateSandboxRequest.Builder request = CreateSandboxRequest.newBuilder();
        if (!rules.isUnset()) {
            request.setEgress(rules.toProto());
        }
        try {
            return hostAgent.createSandbox(request.setSandboxId(pending.id())
                    .setTemplate(agentTemplate)
                    .setVcpus(pending.vcpus())
                    .setMemoryMb(pending.memoryMb())
                    .setTimeoutSec(pending.timeoutSec())
                    .putAllMetadata(pending.metadata())
                    .putAllEnvVars(envVars)
                    .build());
        } catch (RuntimeException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            sandboxes.updateIfStatus(pending.failed(reason, now()), SandboxStatus.PENDING);
            throw e;
        }
    }

    /** Milliseconds, as stored: the answer to a create then equals what a later GET shows. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private void destroyQuietly(String id) {
        try {
            hostAgent.destroySandbox(id);
        } catch (RuntimeException e) {
            LOG.warn("destroying sandbox {} after it lost the race to a DELETE failed: {}", id, e.getMessage());
        }
    }
}
