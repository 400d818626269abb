package dev.wrenn.launcher;

import java.nio.file.Path;

/**
 * {@code wrenn up} as a process of its own for {@link WrennUpKillTest}: {@link WrennUp#start} (as {@link WrennUp#main}
 * does, without the doctor's host checks, which the test machine's other Wrenn instances would trip), on the given
 * data directory and ports. Prints the administrator's generated password once, then serves until killed.
 */
final class UpChild {
    static final String ADMIN = "UP-ADMIN ";
    static final String SERVING = "UP-SERVING";

    private UpChild() {}

    public static void main(String[] args) throws InterruptedException {
        WrennUp up = WrennUp.start(
                new UpOptions(Path.of(args[0]), "127.0.0.1", Integer.parseInt(args[1]), Integer.parseInt(args[2])),
                System.getenv());
        if (up.admin().password() != null) {
            System.out.println(ADMIN + up.admin().email() + " " + up.admin().password());
        }
        System.out.println(SERVING);
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(up::close, "up-child-shutdown"));
        Thread.currentThread().join();
    }
}
