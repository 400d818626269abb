package dev.wrenn.control.snapshots;

import dev.wrenn.control.audit.AuditActions;
import dev.wrenn.control.audit.AuditTrail;
import dev.wrenn.control.db.Sandbox;
import dev.wrenn.control.db.SandboxOperation;
import dev.wrenn.control.db.SandboxStatus;
import dev.wrenn.control.db.Template;
import dev.wrenn.control.db.TemplateRepository;
import dev.wrenn.control.db.TemplateType;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.error.ErrorCode;
import dev.wrenn.control.hosts.HostAgentClient;
import dev.wrenn.control.ids.Ids;
import dev.wrenn.control.quota.QuotaChecks;
import dev.wrenn.control.sandboxes.SandboxService;
import dev.wrenn.control.sandboxes.SandboxSpec;
import dev.wrenn.protocol.hostagent.v1.CreateSnapshotResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A team's snapshot templates: frozen copies of a sandbox that new sandboxes boot from. Names are the team's own;
 * the host agent stores each snapshot under the template's id ({@code tpl-…}), so two teams' equal names never
 * touch each other's files.
 */
public final class SnapshotService {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotService.class);

    private final TemplateRepository templates;
    private final SandboxService sandboxes;
    private final HostAgentClient hostAgent;
    private final Clock clock;

    /** {@link QuotaChecks#NONE} where no user request arrives. */
    private final QuotaChecks quotas;

    private final AuditTrail audit;

    public SnapshotService(
            TemplateRepository templates, SandboxService sandboxes, HostAgentClient hostAgent, Clock clock) {
        this(templates, sandboxes, hostAgent, clock, QuotaChecks.NONE);
    }

    public SnapshotService(
            TemplateRepository templates,
            SandboxService sandboxes,
            HostAgentClient hostAgent,
            Clock clock,
            QuotaChecks quotas) {
        this(templates, sandboxes, hostAgent, clock, quotas, AuditTrail.NONE);
    }

    public SnapshotService(
            TemplateRepository templates,
            SandboxService sandboxes,
            HostAgentClient hostAgent,
            Clock clock,
            QuotaChecks quotas,
            AuditTrail audit) {
        this.quotas = quotas;
        this.audit = audit;
        this.templates = templates;
        this.sandboxes = sandboxes;
        this.hostAgent = hostAgent;
        this.clock = clock;
    }

    /**
     * Freezes the team's running or paused sandbox into the template {@code name} (null: {@code template-<hex8>}). A
     * running sandbox is paused by this and stays paused, resumable.
     *
     * @throws ApiException 400 for a bad name, 404 for an unknown sandbox, 409 {@code invalid_state} if it is neither
     *     running nor paused, 409 {@code already_exists} if the team has the name and {@code overwrite} is false
     */
    public Template create(String teamId, String sandboxId, String name, boolean overwrite) {
        String templateName = name == null ? Ids.templateName() : checkedName(name);
        Sandbox sandbox = requireSnapshottable(teamId, sandboxId);
        try (QuotaChecks.Reservation held = quotas.reserveTemplate(teamId)) {
            return snapshot(teamId, sandbox, templateName, overwrite);
        }
    }

    /** {@link #create(String, String, String, boolean)} once the quota holds the template. */
    private Template snapshot(String teamId, Sandbox sandbox, String templateName, boolean overwrite) {
        Optional<Template> existing = templates.find(teamId, templateName);
        existing.ifPresent(old -> refuseUnless(overwrite, old));
        // An overwrite keeps the template's id and has the host swap the files atomically: until the new snapshot is
        // durable the old one stays whole and bootable, and a failure or crash on either side leaves it serving.
        String id = existing.map(Template::id).orElseGet(Ids::template);
        CreateSnapshotResponse made = hostAgent.createSnapshot(sandbox.id(), id, existing.isPresent());
        if (sandbox.status() == SandboxStatus.RUNNING) {
            sandboxes.markPaused(sandbox);
        }
        Template template = new Template(
                id,
                teamId,
                templateName,
                TemplateType.SNAPSHOT,
                sandbox.vcpus(),
                sandbox.memoryMb(),
                made.getSizeBytes(),
                now(),
                existing.map(Template::isPublic).orElse(false));
        if (existing.isPresent()) {
            templates.replace(
                    template,
                    audit.entry(
                            template.teamId(),
                            AuditActions.TEMPLATE_CREATED,
                            template.id(),
                            Map.of("name", template.name(), "overwrite", "true")));
        } else {
            insertOrDropFiles(template);
        }
        return template;
    }

    /**
     * The team's templates of {@code typeOrNull} (null: all), newest first, followed by the built-in base image,
     * which every team can boot.
     */
    public List<Template> list(String teamId, TemplateType typeOrNull) {
        List<Template> all = new ArrayList<>();
        if (typeOrNull != TemplateType.BASE) {
            all.addAll(templates.listForTeam(teamId, TemplateType.SNAPSHOT));
        }
        if (typeOrNull != TemplateType.SNAPSHOT) {
            all.add(BuiltInBase.TEMPLATE);
        }
        return all;
    }

    /** All the team's templates, newest first, and the built-in base. */
    public List<Template> list(String teamId) {
        return list(teamId, null);
    }

    /**
     * Deletes the snapshot's files on the host, then its row.
     *
     * @throws ApiException 404 if the team has no template of that name; 409 {@code conflict} while sandboxes booted
     *     from it still exist (their disks build on its files)
     */
    public void delete(String teamId, String name) {
        Template template = requireOwn(teamId, name);
        hostAgent.deleteSnapshot(template.id());
        templates.delete(teamId, template.name(), deleted(template));
    }

    /**
     * Shares the team's template with every team (they boot it by its id), or stops sharing it.
     *
     * @throws ApiException 404 if the team has no template of that name or id
     */
    public Template setPublic(String teamId, String nameOrId, boolean value) {
        Template template = requireOwn(teamId, nameOrId);
        templates.setPublic(
                teamId,
                template.name(),
                value,
                audit.entry(
                        teamId,
                        AuditActions.TEMPLATE_PUBLIC_CHANGED,
                        template.id(),
                        Map.of("name", template.name(), "public", String.valueOf(value))));
        return template.withPublic(value);
    }

    /**
     * The team's own template by name or id; 404 otherwise, also for another team's (public or not): only the owner
     * changes or deletes a template.
     */
    public Template requireOwn(String teamId, String nameOrId) {
        SandboxSpec.requireSafeName(nameOrId);
        return templates
                .find(teamId, nameOrId)
                .or(() -> templates.findById(nameOrId).filter(t -> teamId.equals(t.teamId())))
                .orElseThrow(() -> ApiException.notFound("template " + nameOrId + " not found"));
    }

    private static String checkedName(String name) {
        SandboxSpec.requireSafeName(name);
        if (name.equals(SandboxSpec.DEFAULT_TEMPLATE)) {
            throw ApiException.invalid("template name '" + name + "' is reserved for the built-in base image");
        }
        if (Ids.isTemplateId(name)) {
            throw ApiException.invalid("template names may not start with 'tpl-': that is the form of template ids");
        }
        return name;
    }

    private Sandbox requireSnapshottable(String teamId, String sandboxId) {
        if (sandboxId == null || sandboxId.isBlank()) {
            throw ApiException.invalid("sandbox_id is required");
        }
        return sandboxes.require(teamId, sandboxId, SandboxOperation.SNAPSHOT);
    }

    private static void refuseUnless(boolean overwrite, Template existing) {
        if (!overwrite) {
            throw new ApiException(
                    ErrorCode.ALREADY_EXISTS,
                    "template " + existing.name() + " already exists (add ?overwrite=true to replace it)");
        }
    }

    /** A concurrent create of the same name may have won; then this snapshot's files are dropped again. */
    private void insertOrDropFiles(Template template) {
        try {
            templates.insert(
                    template,
                    audit.entry(
                            template.teamId(),
                            AuditActions.TEMPLATE_CREATED,
                            template.id(),
                            Map.of("name", template.name())));
        } catch (RuntimeException e) {
            try {
                hostAgent.deleteSnapshot(template.id());
            } catch (RuntimeException cleanup) {
                LOG.warn(
                        "dropping snapshot {} whose row was not recorded failed: {}",
                        template.id(),
                        cleanup.getMessage());
            }
            throw e;
        }
    }

    private Consumer<Handle> deleted(Template template) {
        return audit.entry(
                template.teamId(), AuditActions.TEMPLATE_DELETED, template.id(), Map.of("name", template.name()));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
