package dev.wrenn.host.sys;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * File-system steps that survive a crash of the process and of the machine: data is fsynced before a rename makes
 * it visible, and the directory is fsynced after, so that the rename itself is on disk. Every multi-file change of
 * the host agent is built from these: write new, sync, rename (or exchange), then remove the old.
 */
public final class Durable {
    private static final int AT_FDCWD = -100;
    private static final int RENAME_NOREPLACE = 1;
    private static final int RENAME_EXCHANGE = 2;
    private static final int EEXIST = 17;
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final MethodHandle RENAMEAT2 = Linker.nativeLinker()
            .downcallHandle(
                    SymbolLookup.libraryLookup("libc.so.6", Arena.global())
                            .find("renameat2")
                            .orElseThrow(),
                    FunctionDescriptor.of(
                            ValueLayout.JAVA_INT,
                            ValueLayout.JAVA_INT,
                            ValueLayout.ADDRESS,
                            ValueLayout.JAVA_INT,
                            ValueLayout.ADDRESS,
                            ValueLayout.JAVA_INT),
                    ERRNO);

    private Durable() {}

    /** Flushes a file's data and metadata (or a directory's entries) to disk. */
    public static void sync(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** Syncs each path that exists (files that a step did not make are skipped). */
    public static void syncAll(Path... paths) throws IOException {
        for (Path path : paths) {
            if (path != null && Files.exists(path)) {
                sync(path);
            }
        }
    }

    /** Makes a directory (and its parents) and syncs its parent, so that it exists after a power cut. */
    public static void createDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        sync(dir.getParent());
    }

    /** Writes {@code bytes} to a temporary sibling, syncs it, renames it over {@code target} and syncs the directory. */
    public static void write(Path target, byte[] bytes) throws IOException {
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        Files.write(partial, bytes);
        sync(partial);
        rename(partial, target);
    }

    /** Atomic rename (replacing {@code to} if it exists), then syncs the directories of both names. */
    public static void rename(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        syncParents(from, to);
    }

    /** Atomic rename that fails with {@link FileAlreadyExistsException} if {@code to} exists; syncs both directories. */
    public static void renameNoReplace(Path from, Path to) throws IOException {
        renameat2(from, to, RENAME_NOREPLACE);
        syncParents(from, to);
    }

    /** Swaps two names in one atomic step (both must exist); syncs both directories. */
    public static void exchange(Path a, Path b) throws IOException {
        renameat2(a, b, RENAME_EXCHANGE);
        syncParents(a, b);
    }

    /** Adds a second name for a file (same data, no copy) and syncs the new name's directory. */
    public static void link(Path newName, Path existing) throws IOException {
        Files.createLink(newName, existing);
        sync(newName.getParent());
    }

    private static void syncParents(Path a, Path b) throws IOException {
        Path first = a.toAbsolutePath().getParent();
        Path second = b.toAbsolutePath().getParent();
        sync(first);
        if (!second.equals(first)) {
            sync(second);
        }
    }

    private static void renameat2(Path from, Path to, int flags) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
            int result = (int) RENAMEAT2.invokeExact(
                    state,
                    AT_FDCWD,
                    arena.allocateFrom(from.toString()),
                    AT_FDCWD,
                    arena.allocateFrom(to.toString()),
                    flags);
            if (result != 0) {
                int errno = state.get(
                        ValueLayout.JAVA_INT,
                        Linker.Option.captureStateLayout()
                                .byteOffset(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno")));
                if (errno == EEXIST) {
                    throw new FileAlreadyExistsException(to.toString());
                }
                throw new IOException("renameat2(%s, %s, %d) failed: errno %d".formatted(from, to, flags, errno));
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("renameat2: " + t.getMessage(), t);
        }
    }
}
