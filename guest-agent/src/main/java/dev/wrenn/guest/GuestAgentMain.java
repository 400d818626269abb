package dev.wrenn.guest;

import dev.wrenn.connect.server.ConnectHttpHandler;
import dev.wrenn.guest.fs.FilesystemService;
import dev.wrenn.guest.http.GuestHttpServer;
import dev.wrenn.guest.process.OrphanReaper;
import dev.wrenn.guest.process.ProcessService;
import dev.wrenn.guest.state.AgentState;
import dev.wrenn.guest.user.CallerResolver;
import dev.wrenn.guest.user.UserDirectory;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point of the guest agent: wires the services onto one HTTP server and runs until stopped. */
public final class GuestAgentMain {
    private static final Logger log = LoggerFactory.getLogger(GuestAgentMain.class);

    private GuestAgentMain() {}

    public static void main(String[] args) throws Exception {
        // Streamed answers (Start: the start event, then the end event moments later) are several small writes.
        // With Nagle's algorithm on, a write waits for the ACK of the previous one, which a client delays by up to
        // 40 ms: every exec would take 40 ms longer. Read once, when the JDK's HTTP server is first used.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        GuestAgentOptions options;
        try {
            options = GuestAgentOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("wrenn guest-agent: " + e.getMessage());
            System.err.println(GuestAgentOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(GuestAgentOptions.USAGE);
            return;
        }
        run(options);
    }

    private static void run(GuestAgentOptions options) throws Exception {
        UserDirectory users = UserDirectory.system();
        AgentState state = new AgentState(options.defaultUser());
        CallerResolver callers = new CallerResolver(users, state);
        ProcessService processes = ProcessService.create(state, callers);
        FilesystemService filesystem = FilesystemService.create(state, callers, users);
        OrphanReaper reaper = OrphanReaper.start(processes);
        GuestHttpServer http = new GuestHttpServer(state, users);
        ConnectHttpHandler rpc =
                new ConnectHttpHandler(List.of(processes.connectService(), filesystem.connectService()));
        rpc.contextPaths().forEach(path -> http.mount(path, rpc));
        http.start(new InetSocketAddress(options.bindAddress(), options.port()));
        log.info(
                "wrenn guest agent (envd {}) listening on {}:{}",
                EnvdVersion.VALUE,
                options.bindAddress(),
                options.port());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            http.stop();
            processes.shutdown();
            filesystem.shutdown();
            reaper.close();
            stopped.countDown();
        }));
        stopped.await();
    }
}
