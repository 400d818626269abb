package dev.wrenn.control.templates;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wrenn.control.db.Template;
import dev.wrenn.control.db.TemplateBuild;
import dev.wrenn.control.db.TemplateBuildRepository;
import dev.wrenn.control.db.TemplateRepository;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.error.ErrorCode;
import dev.wrenn.control.hosts.HostAgentClient;
import dev.wrenn.control.ids.Ids;
import dev.wrenn.control.quota.QuotaChecks;
import dev.wrenn.control.sandboxes.SandboxService;
import dev.wrenn.control.sandboxes.SandboxSpec;
import dev.wrenn.control.sandboxes.TemplateAccess;
import dev.wrenn.control.snapshots.SnapshotService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * E2B's template build API over Wrenn's templates (issue 14): a team asks for a build of a name (the template id is
 * kept across rebuilds), uploads its COPY contexts, starts the build, and polls its status and log. Builds run in this
 * process ({@link BuildRunner}), at most {@code WRENN_MAX_CONCURRENT_BUILDS} (default 2) at once; each running build's
 * heartbeat is written every {@link #HEARTBEAT}, and a build marked building whose heartbeat is older than
 * {@link #STALE} (its control plane crashed or was stopped) becomes {@code error} with that reason, so no build stays
 * "building" forever. Everything is scoped to the caller's team: another team's template or build is a 404.
 */
public final class TemplateBuildService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TemplateBuildService.class);
    static final Duration HEARTBEAT = Duration.ofSeconds(15);
    static final Duration STALE = Duration.ofSeconds(60);
    static final int DEFAULT_CPU = 2;
    static final int DEFAULT_MEMORY_MB = 1024;
    static final String DEFAULT_TAG = "default";

    private final TemplateBuildRepository builds;
    private final TemplateRepository templates;
    private final SnapshotService snapshots;
    private final SandboxService sandboxes;
    private final HostAgentClient host;
    private final ContextFiles files;
    private final QuotaChecks quotas;
    private final BuildRunner runner;
    private final Clock clock;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService timer;
    private final Semaphore slots;
    private final Map<String, Thread> running = new ConcurrentHashMap<>();

    public TemplateBuildService(
            TemplateBuildRepository builds,
            TemplateRepository templates,
            SnapshotService snapshots,
            SandboxService sandboxes,
            HostAgentClient host,
            ContextFiles files,
            QuotaChecks quotas,
            Clock clock,
            int maxConcurrent) {
        this.builds = builds;
        this.templates = templates;
        this.snapshots = snapshots;
        this.sandboxes = sandboxes;
        this.host = host;
        this.files = files;
        this.quotas = quotas;
        this.clock = clock;
        this.runner = new BuildRunner(host, sandboxes, templates, files, quotas, clock);
        this.slots = new Semaphore(Math.max(1, maxConcurrent));
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("template-builds").factory());
    }

    /** Starts the heartbeat and the sweep of lost builds (with the HTTP server; {@link #close} stops them). */
    public void startTimer() {
        timer.scheduleWithFixedDelay(this::heartbeatAndSweep, 0, HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** From {@code WRENN_MAX_CONCURRENT_BUILDS}. */
    public static int maxConcurrentFromEnv(Map<String, String> env) {
        String value = env.get("WRENN_MAX_CONCURRENT_BUILDS");
        if (value == null || value.isBlank()) {
            return 2;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= 1 && n <= 64) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException(
                "WRENN_MAX_CONCURRENT_BUILDS must be a number from 1 to 64 (got '" + value + "')");
    }

    /** What {@code POST /v3/templates} answers. */
    public record Requested(String templateId, String buildId, boolean isPublic, String name, List<String> tags) {}

    /**
     * A new build of the team's template {@code nameWithTag} ({@code name} or {@code name:tag}). The template id stays
     * the same across rebuilds of a name. A new name counts against the team's template quota (429).
     */
    public Requested request(String teamId, String nameWithTag, List<String> tags, Integer cpuCount, Integer memoryMb) {
        if (nameWithTag == null || nameWithTag.isBlank()) {
            throw ApiException.invalid("field 'name' is required");
        }
        String name = nameWithTag;
        Set<String> allTags = new LinkedHashSet<>();
        int colon = nameWithTag.indexOf(':');
        if (colon >= 0) {
            name = nameWithTag.substring(0, colon);
            allTags.add(checkedTag(nameWithTag.substring(colon + 1)));
        }
        checkedName(name);
        if (tags != null) {
            tags.forEach(t -> allTags.add(checkedTag(t)));
        }
        int cpu = within("cpuCount", cpuCount, DEFAULT_CPU, 1, SandboxSpec.MAX_VCPUS);
        int memory =
                within("memoryMB", memoryMb, DEFAULT_MEMORY_MB, SandboxSpec.MIN_MEMORY_MB, SandboxSpec.MAX_MEMORY_MB);
        String templateId = templateIdFor(teamId, name);
        for (TemplateBuild b : builds.listForTemplate(teamId, templateId)) {
            if (b.status().equals(TemplateBuild.BUILDING)) {
                throw new ApiException(
                        ErrorCode.CONFLICT, "template " + name + " has a build running (" + b.id() + "); wait for it");
            }
        }
        Instant now = now();
        String buildId = UUID.randomUUID().toString();
        builds.insert(new TemplateBuild(
                buildId,
                templateId,
                teamId,
                name,
                TemplateBuild.WAITING,
                null,
                null,
                cpu,
                memory,
                null,
                now,
                now,
                null));
        for (String tag : allTags) {
            builds.setTag(templateId, tag, buildId, now);
        }
        boolean isPublic =
                templates.findById(templateId).map(Template::isPublic).orElse(false);
        return new Requested(templateId, buildId, isPublic, name, List.copyOf(allTags));
    }

    private String templateIdFor(String teamId, String name) {
        Optional<Template> own = templates.find(teamId, name);
        if (own.isPresent()) {
            return own.get().id();
        }
        Optional<TemplateBuild> earlier = builds.latestByName(teamId, name);
        if (earlier.isPresent()) {
            return earlier.get().templateId();
        }
        // A new template: refused now if the team is at its template quota (checked again when it is published).
        try (QuotaChecks.Reservation check = quotas.reserveTemplate(teamId)) {
            return Ids.template();
        }
    }

    /** The team's build of the template; 404 for anything else. */
    public TemplateBuild requireBuild(String teamId, String templateId, String buildId) {
        return builds.find(buildId)
                .filter(b -> b.teamId().equals(teamId) && b.templateId().equals(templateId))
                .orElseThrow(
                        () -> ApiException.notFound("build " + buildId + " of template " + templateId + " not found"));
    }

    /** The team's template id for an id or a name (of a published template or of a build); 404 otherwise. */
    public String requireTemplateId(String teamId, String idOrName) {
        SandboxSpec.requireSafeName(idOrName);
        Optional<Template> row = templates
                .find(teamId, idOrName)
                .or(() -> templates.findById(idOrName).filter(t -> teamId.equals(t.teamId())));
        if (row.isPresent()) {
            return row.get().id();
        }
        if (Ids.isTemplateId(idOrName)
                && !builds.listForTemplate(teamId, idOrName).isEmpty()) {
            return idOrName;
        }
        return builds.latestByName(teamId, idOrName)
                .map(TemplateBuild::templateId)
                .orElseThrow(() -> ApiException.notFound("template " + idOrName + " not found"));
    }

    /** E2B's {@code TemplateBuildFileUpload}: whether the team has the archive, else the query of a signed URL. */
    public record FileLink(boolean present, String uploadQuery) {}

    public FileLink fileLink(String teamId, String templateId, String hash) {
        requireTemplateId(teamId, templateId);
        if (!BuildSpec.FILES_HASH.matcher(hash).matches()) {
            throw ApiException.invalid("the files hash must be 64 lowercase hex characters (got '" + hash + "')");
        }
        if (files.isPresent(teamId, hash)) {
            return new FileLink(true, null);
        }
        return new FileLink(false, files.signedQuery(teamId, hash));
    }

    public ContextFiles files() {
        return files;
    }

    /**
     * Starts a requested build: its body is checked (400 naming the field or step), its COPY archives must be uploaded
     * and match their files hash (400), and it must still be waiting (409).
     */
    public void start(String teamId, String templateId, String buildId, JsonNode body) {
        TemplateBuild build = requireBuild(teamId, templateId, buildId);
        BuildSpec spec = BuildSpec.parse(body);
        for (BuildSpec.Step step : spec.steps()) {
            if (!step.type().equals("COPY")) {
                continue;
            }
            if (!files.isPresent(teamId, step.filesHash())) {
                throw ApiException.invalid("step " + step.number() + " (" + step.describe() + "): the files with hash "
                        + step.filesHash() + " were not uploaded (GET /templates/" + templateId + "/files/"
                        + step.filesHash() + " gives the upload URL)");
            }
            if (!files.matches(
                    teamId, step.filesHash(), step.args().get(0), step.args().get(1))) {
                throw ApiException.invalid("step " + step.number() + " (" + step.describe() + "): the uploaded files"
                        + " do not match their hash " + step.filesHash());
            }
        }
        if (spec.fromTemplate() != null) {
            String base = spec.fromTemplate().split(":", 2)[0];
            new TemplateAccess(templates).resolve(teamId, SandboxSpec.requireSafeName(base));
        }
        if (!builds.updateStatus(buildId, TemplateBuild.WAITING, TemplateBuild.BUILDING, null, null, now())) {
            throw new ApiException(
                    ErrorCode.CONFLICT,
                    "build " + buildId + " was already started ("
                            + requireBuild(teamId, templateId, buildId).status() + ")");
        }
        TemplateBuild started = requireBuild(teamId, templateId, buildId);
        executor.submit(() -> runGuarded(started, spec));
    }

    private void runGuarded(TemplateBuild build, BuildSpec spec) {
        running.put(build.id(), Thread.currentThread());
        BuildLog log = new BuildLog(build.id(), builds, clock);
        try {
            if (!slots.tryAcquire()) {
                log.info(BuildRunner.BASE_STEP, "waiting for a free build slot (WRENN_MAX_CONCURRENT_BUILDS)");
                slots.acquire();
            }
            try {
                log.info(
                        BuildRunner.BASE_STEP,
                        "building template " + build.name() + " (" + build.templateId() + "), build " + build.id()
                                + (spec.force() ? ", forced" : ""));
                runner.run(
                        build,
                        fromTemplateWithoutTag(spec),
                        log,
                        sandboxId -> builds.setSandbox(build.id(), sandboxId));
                builds.setTag(build.templateId(), DEFAULT_TAG, build.id(), now());
                log.info(BuildRunner.FINALIZE_STEP, "template " + build.name() + " is ready");
                log.close();
                builds.updateStatus(build.id(), TemplateBuild.BUILDING, TemplateBuild.READY, null, null, now());
            } finally {
                slots.release();
            }
        } catch (BuildFailure e) {
            fail(build, log, e.step(), e.getMessage());
        } catch (InterruptedException e) {
            fail(build, log, null, "the build was interrupted (the control plane is stopping)");
        } catch (RuntimeException e) {
            LOG.error("template build {} failed", build.id(), e);
            fail(build, log, null, "the build failed: " + e.getMessage());
        } finally {
            running.remove(build.id());
        }
    }

    private static BuildSpec fromTemplateWithoutTag(BuildSpec spec) {
        if (spec.fromTemplate() == null || !spec.fromTemplate().contains(":")) {
            return spec;
        }
        return new BuildSpec(
                spec.fromImage(),
                spec.fromTemplate().split(":", 2)[0],
                spec.registryUsername(),
                spec.registryPassword(),
                spec.steps(),
                spec.startCmd(),
                spec.readyCmd(),
                spec.force());
    }

    private void fail(TemplateBuild build, BuildLog log, String step, String reason) {
        try {
            log.error(step == null ? BuildRunner.FINALIZE_STEP : step, reason);
            log.close();
        } catch (RuntimeException e) {
            LOG.warn("logging the failure of build {} failed: {}", build.id(), e.getMessage());
        }
        builds.updateStatus(build.id(), TemplateBuild.BUILDING, TemplateBuild.ERROR, reason, step, now());
    }

    /** Writes this process's builds' heartbeats, then fails builds nobody is running any more. */
    void heartbeatAndSweep() {
        try {
            Instant now = now();
            running.keySet().forEach(id -> builds.touch(id, now));
            for (TemplateBuild stale : builds.staleBuilding(now.minus(STALE))) {
                if (running.containsKey(stale.id())) {
                    continue;
                }
                String reason = "the build stopped: its control plane was restarted or lost (no heartbeat since "
                        + stale.updatedAt() + "); start the build again";
                if (builds.updateStatus(stale.id(), TemplateBuild.BUILDING, TemplateBuild.ERROR, reason, null, now)) {
                    LOG.warn("template build {} failed: {}", stale.id(), reason);
                    if (stale.sandboxId() != null) {
                        try {
                            sandboxes.destroy(stale.teamId(), stale.sandboxId());
                        } catch (RuntimeException e) {
                            LOG.warn("removing build sandbox {} failed: {}", stale.sandboxId(), e.getMessage());
                        }
                    }
                    try {
                        host.deleteSnapshot("img-" + stale.id());
                    } catch (RuntimeException e) {
                        // usually there was none (a build from a template, or a host without image support)
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("template build heartbeat/sweep failed: {}", e.getMessage());
        }
    }

    /** A build's status with its log from {@code offset} ({@code limit} at most 100), optionally from a level up. */
    public record Status(
            TemplateBuild build, List<TemplateBuild.LogLine> logs, List<TemplateBuild.LogLine> reasonLogs) {}

    public Status status(String teamId, String templateId, String buildId, int offset, int limit, String level) {
        if (offset < 0) {
            throw ApiException.invalid("logsOffset must be 0 or more");
        }
        if (limit < 0 || limit > 100) {
            throw ApiException.invalid("limit must be from 0 to 100");
        }
        int min = levelRank(level);
        TemplateBuild build = requireBuild(teamId, templateId, buildId);
        List<TemplateBuild.LogLine> all = builds.logs(buildId);
        List<TemplateBuild.LogLine> filtered =
                all.stream().filter(l -> levelRank(l.level()) >= min).toList();
        List<TemplateBuild.LogLine> page = offset >= filtered.size()
                ? List.of()
                : filtered.subList(offset, Math.min(filtered.size(), offset + limit));
        List<TemplateBuild.LogLine> reasonLogs = build.status().equals(TemplateBuild.ERROR)
                ? all.subList(Math.max(0, all.size() - BuildLog.TAIL), all.size())
                : List.of();
        return new Status(build, page, reasonLogs);
    }

    /** E2B's {@code /logs}: from a timestamp cursor (ms), forward or backward. */
    public List<TemplateBuild.LogLine> logs(
            String teamId, String templateId, String buildId, Long cursor, int limit, String direction, String level) {
        if (limit < 0 || limit > 100) {
            throw ApiException.invalid("limit must be from 0 to 100");
        }
        boolean backward = "backward".equals(direction);
        if (direction != null && !backward && !"forward".equals(direction)) {
            throw ApiException.invalid("direction must be forward or backward");
        }
        int min = levelRank(level);
        requireBuild(teamId, templateId, buildId);
        List<TemplateBuild.LogLine> matching = new ArrayList<>(builds.logs(buildId).stream()
                .filter(l -> levelRank(l.level()) >= min)
                .filter(l -> cursor == null
                        || (backward ? l.at().toEpochMilli() <= cursor : l.at().toEpochMilli() >= cursor))
                .toList());
        if (backward) {
            java.util.Collections.reverse(matching);
        }
        return matching.subList(0, Math.min(limit, matching.size()));
    }

    static int levelRank(String level) {
        if (level == null || level.isEmpty()) {
            return 0;
        }
        return switch (level) {
            case "debug" -> 0;
            case "info" -> 1;
            case "warn" -> 2;
            case "error" -> 3;
            default -> throw ApiException.invalid("level must be debug, info, warn or error (got '" + level + "')");
        };
    }

    /** A template as the list and detail routes show it: its row (null until a build succeeded) and its builds. */
    public record Listed(String templateId, String name, Template row, List<TemplateBuild> builds) {
        public TemplateBuild latest() {
            return builds.isEmpty() ? null : builds.getFirst();
        }

        public TemplateBuild lastReady() {
            return builds.stream()
                    .filter(b -> b.status().equals(TemplateBuild.READY))
                    .findFirst()
                    .orElse(null);
        }
    }

    /** The team's templates: every snapshot template (built or snapshotted) and every name with builds. */
    public List<Listed> list(String teamId) {
        Map<String, List<TemplateBuild>> byTemplate = new LinkedHashMap<>();
        for (TemplateBuild b : builds.listForTeam(teamId)) {
            byTemplate.computeIfAbsent(b.templateId(), k -> new ArrayList<>()).add(b);
        }
        List<Listed> out = new ArrayList<>();
        for (Template t : templates.listForTeam(teamId, null)) {
            out.add(new Listed(t.id(), t.name(), t, byTemplate.getOrDefault(t.id(), List.of())));
            byTemplate.remove(t.id());
        }
        byTemplate.forEach((id, list) -> out.add(new Listed(id, list.getFirst().name(), null, list)));
        return out;
    }

    public Listed detail(String teamId, String idOrName) {
        String id = requireTemplateId(teamId, idOrName);
        Template row = templates.findById(id).orElse(null);
        List<TemplateBuild> list = builds.listForTemplate(teamId, id);
        return new Listed(id, row != null ? row.name() : list.getFirst().name(), row, list);
    }

    /**
     * Deletes the team's template: its snapshot on the host and row (409 while sandboxes booted from it exist), its
     * builds, logs and tags. A template with a build running is refused (409).
     */
    public void delete(String teamId, String idOrName) {
        String id = requireTemplateId(teamId, idOrName);
        for (TemplateBuild b : builds.listForTemplate(teamId, id)) {
            if (b.status().equals(TemplateBuild.BUILDING)) {
                throw new ApiException(
                        ErrorCode.CONFLICT, "template " + idOrName + " has a build running (" + b.id() + ")");
            }
        }
        if (templates.findById(id).isPresent()) {
            snapshots.delete(teamId, id);
        }
        builds.deleteTemplate(teamId, id);
    }

    /** Points {@code tags} at the build {@code target} ({@code name:tag}, default tag: {@code default}) names. */
    public TemplateBuild assignTags(String teamId, String target, List<String> tags) {
        if (target == null || target.isBlank()) {
            throw ApiException.invalid("field 'target' is required");
        }
        if (tags == null || tags.isEmpty()) {
            throw ApiException.invalid("field 'tags' needs at least one tag");
        }
        String[] parts = target.split(":", 2);
        String id = requireTemplateId(teamId, parts[0]);
        String sourceTag = parts.length > 1 ? checkedTag(parts[1]) : DEFAULT_TAG;
        List<String> checked =
                tags.stream().map(TemplateBuildService::checkedTag).toList();
        String buildId = builds.tags(id).stream()
                .filter(t -> t.tag().equals(sourceTag))
                .map(TemplateBuild.Tag::buildId)
                .findFirst()
                .orElseThrow(() -> ApiException.notFound(
                        "template " + target + " not found (no build has tag " + sourceTag + ")"));
        Instant now = now();
        checked.forEach(t -> builds.setTag(id, t, buildId, now));
        return builds.find(buildId).orElseThrow();
    }

    public void removeTags(String teamId, String name, List<String> tags) {
        if (name == null || name.isBlank()) {
            throw ApiException.invalid("field 'name' is required");
        }
        if (tags == null || tags.isEmpty()) {
            throw ApiException.invalid("field 'tags' needs at least one tag");
        }
        String id = requireTemplateId(teamId, name.split(":", 2)[0]);
        for (String tag : tags) {
            builds.deleteTag(id, checkedTag(tag));
        }
    }

    public List<TemplateBuild.Tag> tags(String teamId, String idOrName) {
        return builds.tags(requireTemplateId(teamId, idOrName));
    }

    private static void checkedName(String name) {
        SandboxSpec.requireSafeName(name);
        if (name.equals(SandboxSpec.DEFAULT_TEMPLATE)) {
            throw ApiException.invalid("template name '" + name + "' is reserved for the built-in base image");
        }
        if (Ids.isTemplateId(name)) {
            throw ApiException.invalid("template names may not start with 'tpl-': that is the form of template ids");
        }
    }

    private static String checkedTag(String tag) {
        if (tag == null || !tag.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw ApiException.invalid("tag '" + tag + "' must be 1-64 letters, digits, '.', '_' or '-'");
        }
        return tag;
    }

    private static int within(String field, Integer value, int fallback, int min, int max) {
        int v = value == null ? fallback : value;
        if (v < min || v > max) {
            throw ApiException.invalid(field + " must be from " + min + " to " + max + " (got " + v + ")");
        }
        return v;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** Stops the timer and interrupts the builds this process runs (a restarted one fails them by the sweep). */
    @Override
    public void close() {
        timer.shutdownNow();
        executor.shutdownNow();
    }
}
