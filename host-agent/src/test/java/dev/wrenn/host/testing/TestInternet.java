package dev.wrenn.host.testing;

import dev.wrenn.host.net.Cidr;
import dev.wrenn.host.net.Ip;
import dev.wrenn.host.net.Ipv4;
import dev.wrenn.host.sys.Command;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A small "internet" on this machine: a network namespace behind a veth pair, on addresses of the benchmarking range
 * 198.18.0.0/15 (special-purpose, so blocked for sandboxes unless the operator opens it), with busybox's HTTP server
 * on port 8080 of its two addresses. The host routes to it directly (the link's own route), so a sandbox allowed out
 * reaches it through its NAT exactly as it would reach the real internet. The third octet comes from the test slot
 * range, so helpers running side by side do not collide. {@link #close()} removes all of it.
 */
public final class TestInternet implements AutoCloseable {
    public static final int HTTP_PORT = 8080;
    /** A file served at {@code /big}, large enough that a slow download is still running when rules change. */
    public static final long BIG_BYTES = 32L << 20;

    private final String netns;
    private final String hostLink;
    private final int octet;
    private final Path root;
    private Process httpd;

    private TestInternet(int firstSlot) {
        this.netns = "wrenn-tnet-" + firstSlot;
        this.hostLink = "wrenn-t" + firstSlot;
        this.octet = (firstSlot / 100) % 256;
        try {
            this.root = Files.createTempDirectory("wrenn-tnet");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static TestInternet start(int firstSlot) throws IOException {
        TestInternet net = new TestInternet(firstSlot);
        try {
            net.build();
        } catch (IOException | RuntimeException e) {
            net.close();
            throw e;
        }
        return net;
    }

    /** The host's own end of the link: one of the host's addresses, which no sandbox may reach. */
    public Ipv4 hostAddress() {
        return Ipv4.parse("198.18." + octet + ".1");
    }

    /** The first server address. */
    public Ipv4 serverA() {
        return Ipv4.parse("198.18." + octet + ".2");
    }

    /** The second server address (the same server, another address: one may be allowed and the other not). */
    public Ipv4 serverB() {
        return Ipv4.parse("198.18." + octet + ".3");
    }

    /** What the operator opens for tests. */
    public static Cidr range() {
        return Cidr.parse("198.18.0.0/15");
    }

    public String url(Ipv4 server, String path) {
        return "http://" + server + ":" + HTTP_PORT + path;
    }

    private void build() throws IOException {
        Files.writeString(root.resolve("hello"), "hello from the test internet\n");
        try (RandomAccessFile big = new RandomAccessFile(root.resolve("big").toFile(), "rw")) {
            big.setLength(BIG_BYTES);
        }
        Ip ip = new Ip();
        if (ip.listNetns().contains(netns)) {
            throw new IllegalStateException(netns + " exists already: a run before this one left it");
        }
        ip.batch(null)
                .addNetns(netns)
                .addVethPair(hostLink, "eth0", netns)
                .addAddress(hostLink, hostAddress().cidr(24))
                .setUp(hostLink)
                .run();
        ip.batch(netns)
                .addAddress("eth0", serverA().cidr(24))
                .addAddress("eth0", serverB().cidr(24))
                .setUp("eth0")
                .setUp("lo")
                .run();
        httpd = new ProcessBuilder(
                        "ip",
                        "netns",
                        "exec",
                        netns,
                        HostTier.BUSYBOX.toString(),
                        "httpd",
                        "-f",
                        "-p",
                        Integer.toString(HTTP_PORT),
                        "-h",
                        root.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        // Ready when the server answers from the host.
        for (int i = 0; i < 100; i++) {
            if (Command.of("curl", "-sf", "-m", "2", url(serverA(), "/hello"))
                    .runAllowingFailure()
                    .succeeded()) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        throw new IOException("the test internet's HTTP server did not answer");
    }

    @Override
    public void close() {
        if (httpd != null) {
            httpd.destroy();
            try {
                httpd.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            httpd.destroyForcibly();
        }
        Ip ip = new Ip();
        if (ip.listLinks(null).contains(hostLink)) {
            ip.deleteLink(null, hostLink);
        }
        if (ip.listNetns().contains(netns)) {
            ip.deleteNetns(netns);
        }
        try (var files = Files.list(root)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
            Files.delete(root);
        } catch (IOException ignored) {
            // a temp directory; nothing else depends on it
        }
    }
}
