package dev.wrenn.host.vmm;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every running VM's serial console ({@code <vm dir>/console.log}) under {@link ConsoleLog#MAX_BYTES}: once a
 * second, one virtual thread looks at each file and cuts the ones past the cap (see {@link ConsoleLog#rotate}).
 * Between two looks a file may grow by what a guest prints in a second.
 */
public final class ConsoleRotation implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleRotation.class);
    private static final Duration PERIOD = Duration.ofSeconds(1);

    private final Path vmDirs;
    private final long maxBytes;
    private final Duration period;
    private final Thread thread;

    /** @param vmDirs the directory holding one directory per running VM */
    public ConsoleRotation(Path vmDirs) {
        this(vmDirs, ConsoleLog.MAX_BYTES, PERIOD);
    }

    public ConsoleRotation(Path vmDirs, long maxBytes, Duration period) {
        this.vmDirs = vmDirs;
        this.maxBytes = maxBytes;
        this.period = period;
        this.thread = Thread.ofVirtual().name("console-rotation").start(this::run);
    }

    private void run() {
        try {
            while (true) {
                Thread.sleep(period);
                rotateAll();
            }
        } catch (InterruptedException stopped) {
            // Closed.
        }
    }

    /** Cuts every console past the cap; a VM directory that vanishes meanwhile is simply skipped. */
    void rotateAll() {
        if (!Files.isDirectory(vmDirs)) {
            return;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(vmDirs)) {
            for (Path dir : dirs) {
                rotate(new ConsoleLog(dir.resolve("console.log")));
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("rotating serial consoles under {}: {}", vmDirs, e.toString());
        }
    }

    private void rotate(ConsoleLog console) {
        try {
            if (console.rotate(maxBytes)) {
                LOG.debug("serial console {} passed {} bytes: older output dropped", console.file(), maxBytes);
            }
        } catch (IOException e) {
            LOG.debug("rotating {}: {}", console.file(), e.toString());
        }
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
