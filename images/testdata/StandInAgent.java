import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;

/**
 * TEST ONLY: a stand-in for the guest agent that answers {@code GET /health} with 204, so the image's boot path
 * (kernel, initramfs, wrenn-init, tini, wrenn-supervise, the jlink-ed runtime) can be checked before the real
 * agent exists. Never the default of build.sh.
 */
public final class StandInAgent {
    public static void main(String[] args) throws Exception {
        int port = 49983;
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--port")) {
                port = Integer.parseInt(args[i + 1]);
            }
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/health", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        System.out.println("stand-in agent listening on port " + port);
        // Boot with wrenn.log=console to see what wrenn-init set up.
        System.out.println("stand-in agent: hostname " + Files.readString(Path.of("/proc/sys/kernel/hostname")).strip());
        Files.readAllLines(Path.of("/proc/self/mounts")).forEach(line -> System.out.println("stand-in agent: " + line));
    }
}
