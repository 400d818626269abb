package dev.wrenn.control.console;

import dev.wrenn.control.api.Authenticator;
import dev.wrenn.control.db.Database;
import dev.wrenn.control.db.SandboxRepository;
import dev.wrenn.control.hosts.HostAgentClient;
import dev.wrenn.control.inspect.InspectRoutes;
import dev.wrenn.control.inspect.RunningSandboxes;
import dev.wrenn.control.terminal.PtySocket;
import io.javalin.config.JavalinConfig;
import java.time.Clock;

/** Everything the web console adds to the control plane: its files, the file listing, metrics and the terminal. */
public final class ConsoleFeatures {
    private ConsoleFeatures() {}

    public static void register(
            JavalinConfig javalin, Authenticator auth, Database database, HostAgentClient hostAgent, Clock clock) {
        ConsoleAssets.register(javalin);
        RunningSandboxes sandboxes = new RunningSandboxes(new SandboxRepository(database), clock);
        new InspectRoutes(sandboxes, hostAgent, auth).register(javalin.routes);
        PtySocket pty = new PtySocket(auth, sandboxes, hostAgent);
        pty.register(javalin.routes);
        javalin.events.serverStopping(pty::closeAll);
    }
}
