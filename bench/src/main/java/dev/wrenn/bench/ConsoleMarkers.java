package dev.wrenn.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Host-clock times at which a VM's serial console file appeared and each boot marker was first printed, read by
 * polling the file every millisecond on a thread of its own (the guest's own uptime stamps are on another clock).
 */
final class ConsoleMarkers implements AutoCloseable {
    static final String FILE = "(console file created)";

    private final Path console;
    private final List<String> markers;
    private final Map<String, Long> seenAt = new ConcurrentHashMap<>();
    private final Thread poller;
    private volatile boolean running = true;

    private ConsoleMarkers(Path console, List<String> markers) {
        this.console = console;
        this.markers = markers;
        this.poller = Thread.ofPlatform().daemon().name("console-markers").start(this::poll);
    }

    static ConsoleMarkers watch(Path console, List<String> markers) {
        return new ConsoleMarkers(console, markers);
    }

    /** Nanos (System.nanoTime) when the marker was first seen; fails naming it if it never was. */
    long at(String marker) {
        Long nanos = seenAt.get(marker);
        if (nanos == null) {
            throw new IllegalStateException("console " + console + " never showed `" + marker + "`");
        }
        return nanos;
    }

    boolean seen(String marker) {
        return seenAt.containsKey(marker);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        poller.join();
    }

    private void poll() {
        while (running) {
            if (Files.exists(console)) {
                seenAt.putIfAbsent(FILE, System.nanoTime());
                String text = read();
                long now = System.nanoTime();
                for (String marker : markers) {
                    if (text.contains(marker)) {
                        seenAt.putIfAbsent(marker, now);
                    }
                }
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private String read() {
        try {
            return Files.readString(console, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return ""; // removed with its sandbox meanwhile
        }
    }
}
