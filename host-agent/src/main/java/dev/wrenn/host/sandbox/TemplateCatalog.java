package dev.wrenn.host.sandbox;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.host.snapshot.SnapshotStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Who depends on which template, and deletion that refuses while anyone does: a clone's disk is an overlay over its
 * template's disk (and a template made from a clone is too), so deleting the template would break them. Creates that
 * clone a template hold {@link #sharedUse()} from finding it until their sandbox is listed, so a delete cannot slip in
 * between.
 */
final class TemplateCatalog {
    private final SnapshotStore store;
    private final Map<String, Sandbox> boxes;
    private final ReadWriteLock use = new ReentrantReadWriteLock();

    private final java.util.function.Consumer<String> onDeleted;

    /** @param onDeleted runs after a caller's template is deleted (removes the image disk a build made for it) */
    TemplateCatalog(SnapshotStore store, Map<String, Sandbox> boxes, java.util.function.Consumer<String> onDeleted) {
        this.store = store;
        this.boxes = boxes;
        this.onDeleted = onDeleted;
    }

    Lock sharedUse() {
        return use.readLock();
    }

    /** Deletes a caller's template; an unknown name is not an error (it may be gone already). */
    void delete(String name) {
        SnapshotOperations.checkTemplateName(name, "deleting template");
        try {
            whileNothingDependsOn(name, "deleting", () -> {
                store.deleteTemplate(name);
                onDeleted.accept(name);
            });
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("deleting template " + name, e);
        }
    }

    /**
     * The publication step of a template make ({@link dev.wrenn.host.snapshot.PublishGuard}): replacing a template is
     * refused while anything depends on it, checked under the lock that keeps new clones out until it is done.
     */
    void publish(String name, boolean replacing, dev.wrenn.host.snapshot.PublishGuard.Step step)
            throws java.io.IOException {
        if (!replacing) {
            step.run();
            return;
        }
        whileNothingDependsOn(name, "replacing", step);
    }

    /**
     * Runs {@code step} holding the lock that keeps new clones out, refusing (FAILED_PRECONDITION, naming them) while
     * any sandbox depends on the template.
     */
    private void whileNothingDependsOn(String name, String verb, dev.wrenn.host.snapshot.PublishGuard.Step step)
            throws java.io.IOException {
        use.writeLock().lock();
        try {
            List<String> dependents = dependentsOf(name);
            if (!dependents.isEmpty()) {
                throw new HostAgentException(
                        ErrorCode.FAILED_PRECONDITION,
                        "%s template %s: %s depend on it; destroy them first".formatted(verb, name, dependents));
            }
            step.run();
        } finally {
            use.writeLock().unlock();
        }
    }

    /** Callers' committed templates, oldest first; the agent's own ({@code _base-*}) are not the callers' to manage. */
    List<TemplateInfo> list() {
        List<TemplateInfo> all = new ArrayList<>();
        for (String name : store.templateNames()) {
            if (!name.startsWith("_")) {
                store.template(name)
                        .ifPresent(t -> all.add(new TemplateInfo(
                                name,
                                Instant.parse(t.meta().createdAt()),
                                t.meta().source())));
            }
        }
        all.sort(java.util.Comparator.comparing(TemplateInfo::createdAt));
        return all;
    }

    boolean inUse(String template) {
        return !dependentsOf(template).isEmpty();
    }

    /** Sandboxes (running or paused) cloned from {@code template} and templates made from such sandboxes. */
    private List<String> dependentsOf(String template) {
        List<String> dependents = new ArrayList<>();
        boxes.values().stream()
                .filter(s -> template.equals(s.clonedFrom()))
                .forEach(s -> dependents.add("sandbox " + s.id()));
        for (String other : store.templateNames()) {
            store.template(other)
                    .filter(t -> template.equals(t.meta().attributes().get(Sandbox.ATTR_CLONED_FROM)))
                    .ifPresent(t -> dependents.add("template " + other));
        }
        return dependents;
    }
}
