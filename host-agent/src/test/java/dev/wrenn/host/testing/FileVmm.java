package dev.wrenn.host.testing;

import dev.wrenn.host.vmm.MemorySharing;
import dev.wrenn.host.vmm.StateFile;
import dev.wrenn.host.vmm.VmSpec;
import dev.wrenn.host.vmm.Vmm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A VMM made of files, for tests of the snapshot layer's file steps without QEMU: its "guest memory" is the text in
 * the spec's RAM file and its "disk" the text in the overlay. While running (after {@link #resume()}) the guest
 * appends {@code +ran} to both, in place, as a real guest writes its shared RAM file and its disk. A saved state holds
 * the memory too when the RAM is private (a clone), as QEMU's does.
 */
public final class FileVmm implements Vmm {
    private final VmSpec spec;
    private boolean alive;

    public FileVmm(VmSpec spec) {
        this.spec = spec;
    }

    @Override
    public void start() {
        alive = true;
    }

    @Override
    public void stop(Duration grace) {
        alive = false;
    }

    @Override
    public boolean isAlive() {
        return alive;
    }

    @Override
    public CompletableFuture<dev.wrenn.host.vmm.VmExit> onExit() {
        return new CompletableFuture<>();
    }

    @Override
    public long pid() {
        return -1;
    }

    @Override
    public void pause() {}

    @Override
    public void resume() {
        append(spec.ramFile());
        if (spec.rootDisk() != null) {
            append(spec.rootDisk());
        }
    }

    @Override
    public StateFile saveState(Path target, Duration timeout) {
        boolean withMemory = spec.ramSharing() == MemorySharing.PRIVATE;
        write(target, withMemory ? "state\n" + read(spec.ramFile()) : "state");
        return new StateFile(target, withMemory);
    }

    @Override
    public void loadState(StateFile state, Duration timeout) {
        if (state.includesMemory()) {
            write(spec.ramFile(), read(state.path()).substring("state\n".length()));
        }
    }

    /** The text of a file, for tests comparing snapshot contents. */
    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void append(Path file) {
        try {
            Files.writeString(file, "+ran", StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
