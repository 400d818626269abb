package dev.wrenn.guest;

import dev.wrenn.connect.server.ConnectHttpHandler;
import dev.wrenn.guest.fs.FilesystemService;
import dev.wrenn.guest.http.GuestHttpServer;
import dev.wrenn.guest.process.OrphanReaper;
import dev.wrenn.guest.process.ProcessService;
import dev.wrenn.guest.state.AgentState;
import dev.wrenn.guest.user.CallerResolver;
import dev.wrenn.guest.user.UserDirectory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

/** The agent's services wired onto one HTTP server and listening; {@link #stop} ends them all. */
final class RunningAgent {
    private final GuestHttpServer http;
    private final ProcessService processes;
    private final FilesystemService filesystem;
    private final OrphanReaper reaper;

    private RunningAgent(
            GuestHttpServer http, ProcessService processes, FilesystemService filesystem, OrphanReaper reaper) {
        this.http = http;
        this.processes = processes;
        this.filesystem = filesystem;
        this.reaper = reaper;
    }

    static RunningAgent start(InetSocketAddress address, String defaultUser) throws IOException {
        return start(address, defaultUser, null);
    }

    /** @param accessToken the token every request but /health needs from the start; null: none until /init */
    static RunningAgent start(InetSocketAddress address, String defaultUser, String accessToken) throws IOException {
        UserDirectory users = UserDirectory.system();
        AgentState state = new AgentState(defaultUser);
        if (accessToken != null) {
            state.apply(new AgentState.InitUpdate(null, accessToken, null, null));
        }
        CallerResolver callers = new CallerResolver(users, state);
        ProcessService processes = ProcessService.create(state, callers);
        FilesystemService filesystem = FilesystemService.create(state, callers, users);
        OrphanReaper reaper = OrphanReaper.start(processes);
        GuestHttpServer http = new GuestHttpServer(state, users);
        ConnectHttpHandler rpc =
                new ConnectHttpHandler(List.of(processes.connectService(), filesystem.connectService()));
        rpc.contextPaths().forEach(path -> http.mount(path, rpc));
        http.start(address);
        return new RunningAgent(http, processes, filesystem, reaper);
    }

    /** The bound address (the real port when started on port 0). */
    InetSocketAddress address() {
        return http.address();
    }

    void stop() {
        http.stop();
        processes.shutdown();
        filesystem.shutdown();
        reaper.close();
    }
}
