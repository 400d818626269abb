package dev.wrenn.launcher;

import dev.wrenn.control.sandboxes.SandboxSpec;
import dev.wrenn.host.HostAgent;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Before {@code wrenn up} says it is running, the base template of the default shape exists: on a new data directory
 * (or after the guest image was rebuilt) it is made now, with progress on the terminal, instead of on the user's first
 * create (which took ~21 s under TCG against ~0.9 s for later ones). The template is kept on disk, so later starts
 * find it at once.
 */
final class BaseReadiness {
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
    /** Past this the banner is shown anyway; the build goes on in the background and creates wait for it. */
    private static final Duration GIVE_UP = Duration.ofMinutes(5);

    private BaseReadiness() {}

    static void await(HostAgent hostAgent, PrintStream out) {
        long started = System.nanoTime();
        boolean existed = hostAgent.manager().hasBase(SandboxSpec.DEFAULT_VCPUS, SandboxSpec.DEFAULT_MEMORY_MB);
        CompletableFuture<String> ready =
                hostAgent.keepBaseWarm(SandboxSpec.DEFAULT_VCPUS, SandboxSpec.DEFAULT_MEMORY_MB);
        if (!existed) {
            out.println("Making the base template (once per guest image; about 20 s without KVM)...");
            out.flush();
        }
        while (true) {
            long elapsed = (System.nanoTime() - started) / 1_000_000_000;
            try {
                ready.get(PROGRESS_EVERY.toMillis(), TimeUnit.MILLISECONDS);
                if (!existed) {
                    out.println("Base template ready in " + elapsed + " s.");
                }
                return;
            } catch (TimeoutException e) {
                if (elapsed >= GIVE_UP.toSeconds()) {
                    out.println("The base template is still being made after " + elapsed
                            + " s; Wrenn starts now and the first create waits for it.");
                    return;
                }
                out.println("  still making the base template (" + elapsed + " s)");
                out.flush();
            } catch (ExecutionException e) {
                out.println("Making the base template failed (" + e.getCause().getMessage()
                        + "); creates will cold-boot until it is made (retried every minute).");
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
