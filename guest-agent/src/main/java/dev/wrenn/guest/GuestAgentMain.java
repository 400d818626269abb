package dev.wrenn.guest;

import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point of the guest agent: starts the services on one HTTP server and runs until stopped. */
public final class GuestAgentMain {
    private GuestAgentMain() {}

    public static void main(String[] args) throws Exception {
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
        if (options.train()) {
            // Exit explicitly: the JVM writes the AOT configuration on exit, and nothing may keep it alive.
            System.exit(AotTraining.run() ? 0 : 1);
        }
        serve(options);
    }

    private static void serve(GuestAgentOptions options) throws Exception {
        RunningAgent agent = RunningAgent.start(
                new InetSocketAddress(options.bindAddress(), options.port()),
                options.defaultUser(),
                options.accessToken());
        // The logger is created only now: configuring logging is part of start-up time, and nothing logs before.
        Logger log = LoggerFactory.getLogger(GuestAgentMain.class);
        log.info(
                "wrenn guest agent (envd {}) listening on {}:{}",
                EnvdVersion.VALUE,
                options.bindAddress(),
                options.port());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            agent.stop();
            stopped.countDown();
        }));
        stopped.await();
    }
}
