package dev.wrenn.host.sandbox;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The undo actions of one VM's acquisitions (namespace, disk, VMM process...). Each acquisition pushes its undo
 * right after it succeeds, so a failure half-way leaves exactly the undos that are needed. {@link #unwind()}
 * runs them once, newest first, and carries on past failures.
 */
public final class CleanupStack {
    private static final Logger log = LoggerFactory.getLogger(CleanupStack.class);

    /** One undo action; may throw, which is recorded and does not stop the others. */
    @FunctionalInterface
    public interface Undo {
        void run() throws Exception;
    }

    /** An undo that failed: its description and why. */
    public record Failure(String description, Exception error) {}

    private record Entry(String description, Undo undo) {}

    private final String owner;
    private final Deque<Entry> entries = new ArrayDeque<>();
    private boolean unwound;

    public CleanupStack(String owner) {
        this.owner = owner;
    }

    public synchronized void push(String description, Undo undo) {
        if (unwound) {
            throw new IllegalStateException("cleanup of " + owner + " already ran; cannot add `" + description + "`");
        }
        entries.push(new Entry(description, undo));
    }

    /** Runs every undo once in reverse order; later calls do nothing and return no failures. */
    public synchronized List<Failure> unwind() {
        unwound = true;
        List<Failure> failures = new ArrayList<>();
        while (!entries.isEmpty()) {
            Entry entry = entries.pop();
            try {
                entry.undo().run();
            } catch (Exception e) {
                log.warn("cleanup of {}: {} failed: {}", owner, entry.description(), e.getMessage());
                failures.add(new Failure(entry.description(), e));
            }
        }
        return failures;
    }

    public synchronized int size() {
        return entries.size();
    }
}
