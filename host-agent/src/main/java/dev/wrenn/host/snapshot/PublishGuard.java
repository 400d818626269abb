package dev.wrenn.host.snapshot;

import java.io.IOException;

/**
 * Runs the one step that makes a template visible. Replacing a template is safe only while nothing depends on it (a
 * clone's disk is an overlay over the template's disk): the layer that knows the dependents checks that here, under
 * the lock that keeps new clones out until the step is done.
 */
@FunctionalInterface
public interface PublishGuard {
    PublishGuard NONE = (name, replacing, step) -> step.run();

    void publish(String templateName, boolean replacing, Step step) throws IOException;

    @FunctionalInterface
    interface Step {
        void run() throws IOException;
    }
}
