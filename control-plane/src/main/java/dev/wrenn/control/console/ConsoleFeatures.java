package dev.wrenn.control.console;

import dev.wrenn.control.api.Authenticator;
import dev.wrenn.control.hosts.HostAgentClient;
import dev.wrenn.control.inspect.InspectRoutes;
import dev.wrenn.control.sandboxes.SandboxService;
import dev.wrenn.control.terminal.PtySocket;
import io.javalin.config.JavalinConfig;

/** Everything the web console adds to the control plane: its files, the file listing, metrics and the terminal. */
public final class ConsoleFeatures {
    private ConsoleFeatures() {}

    public static void register(
            JavalinConfig javalin, Authenticator auth, SandboxService sandboxes, HostAgentClient hostAgent) {
        ConsoleAssets.register(javalin);
        new InspectRoutes(sandboxes, hostAgent, auth).register(javalin.routes);
        PtySocket pty = new PtySocket(auth, sandboxes, hostAgent);
        pty.register(javalin.routes);
        javalin.events.serverStopping(pty::closeAll);
    }
}
