package dev.wrenn.guest.process.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * Starts a child with posix_spawn rather than {@link ProcessBuilder}: the agent needs the child's own session
 * (POSIX_SPAWN_SETSID, for group signals and a controlling terminal), arbitrary descriptors as stdio (pollable
 * pipes, a PTY slave), and to reap the child itself to see whether it was killed by a signal. Needs glibc 2.34+
 * (posix_spawn_file_actions_addclosefrom_np, addchdir_np).
 */
public final class Spawner {
    // Opaque glibc structs (80, 336 and 128 bytes on x86-64 and arm64); the buffers leave room to spare.
    private static final long FILE_ACTIONS_SIZE = 512;
    private static final long ATTR_SIZE = 1024;
    private static final long SIGSET_SIZE = 256;
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final short POSIX_SPAWN_SETSID = 0x80;

    private static final MethodHandle FA_INIT = spawnFunction("posix_spawn_file_actions_init", ADDRESS);
    private static final MethodHandle FA_DESTROY = spawnFunction("posix_spawn_file_actions_destroy", ADDRESS);
    private static final MethodHandle FA_DUP2 =
            spawnFunction("posix_spawn_file_actions_adddup2", ADDRESS, JAVA_INT, JAVA_INT);
    private static final MethodHandle FA_OPEN =
            spawnFunction("posix_spawn_file_actions_addopen", ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final MethodHandle FA_CHDIR =
            spawnFunction("posix_spawn_file_actions_addchdir_np", ADDRESS, ADDRESS);
    private static final MethodHandle FA_CLOSEFROM =
            spawnFunction("posix_spawn_file_actions_addclosefrom_np", ADDRESS, JAVA_INT);
    private static final MethodHandle ATTR_INIT = spawnFunction("posix_spawnattr_init", ADDRESS);
    private static final MethodHandle ATTR_DESTROY = spawnFunction("posix_spawnattr_destroy", ADDRESS);
    private static final MethodHandle ATTR_FLAGS = spawnFunction("posix_spawnattr_setflags", ADDRESS, JAVA_SHORT);
    private static final MethodHandle ATTR_SIGMASK = spawnFunction("posix_spawnattr_setsigmask", ADDRESS, ADDRESS);
    private static final MethodHandle ATTR_SIGDEFAULT =
            spawnFunction("posix_spawnattr_setsigdefault", ADDRESS, ADDRESS);
    private static final MethodHandle SIGEMPTYSET = spawnFunction("sigemptyset", ADDRESS);
    private static final MethodHandle SIGFILLSET = spawnFunction("sigfillset", ADDRESS);
    private static final MethodHandle POSIX_SPAWN =
            spawnFunction("posix_spawn", ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);

    private Spawner() {}

    /** Starts the child and returns its pid. The caller must reap it with {@link Posix#waitpid}. */
    public static int spawn(SpawnSpec spec) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment actions = arena.allocate(FILE_ACTIONS_SIZE, 16);
            MemorySegment attributes = arena.allocate(ATTR_SIZE, 16);
            check("posix_spawn_file_actions_init", (int) FA_INIT.invokeExact(actions));
            try {
                check("posix_spawnattr_init", (int) ATTR_INIT.invokeExact(attributes));
                try {
                    addFileActions(arena, actions, spec);
                    setAttributes(arena, attributes);
                    return spawnWith(arena, actions, attributes, spec);
                } finally {
                    int ignored = (int) ATTR_DESTROY.invokeExact(attributes);
                }
            } finally {
                int ignored = (int) FA_DESTROY.invokeExact(actions);
            }
        } catch (ErrnoException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("posix_spawn of " + spec.program() + " failed unexpectedly", t);
        }
    }

    private static void addFileActions(Arena arena, MemorySegment actions, SpawnSpec spec) throws Throwable {
        for (SpawnSpec.FdAction action : spec.descriptors()) {
            switch (action) {
                case SpawnSpec.FdAction.Dup dup ->
                    check("adddup2", (int) FA_DUP2.invokeExact(actions, dup.source(), dup.target()));
                case SpawnSpec.FdAction.Open open ->
                    check("addopen " + open.path(), (int) FA_OPEN.invokeExact(
                            actions, open.target(), arena.allocateFrom(open.path()), open.flags(), 0));
            }
        }
        // Without this the child would inherit every descriptor the JVM opened without O_CLOEXEC (sockets, files).
        check("addclosefrom_np", (int) FA_CLOSEFROM.invokeExact(actions, 3));
        MemorySegment directory = arena.allocateFrom(spec.workingDirectory().toString());
        check("addchdir_np " + spec.workingDirectory(), (int) FA_CHDIR.invokeExact(actions, directory));
    }

    private static void setAttributes(Arena arena, MemorySegment attributes) throws Throwable {
        // The JVM blocks and handles signals in ways a fresh program must not inherit.
        MemorySegment none = arena.allocate(SIGSET_SIZE, 16);
        MemorySegment all = arena.allocate(SIGSET_SIZE, 16);
        check("sigemptyset", (int) SIGEMPTYSET.invokeExact(none));
        check("sigfillset", (int) SIGFILLSET.invokeExact(all));
        check("setsigmask", (int) ATTR_SIGMASK.invokeExact(attributes, none));
        check("setsigdefault", (int) ATTR_SIGDEFAULT.invokeExact(attributes, all));
        short flags = POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
        check("setflags", (int) ATTR_FLAGS.invokeExact(attributes, flags));
    }

    private static int spawnWith(Arena arena, MemorySegment actions, MemorySegment attributes, SpawnSpec spec)
            throws Throwable {
        MemorySegment pid = arena.allocate(JAVA_INT);
        MemorySegment path = arena.allocateFrom(spec.program());
        MemorySegment argv = cStringArray(arena, spec.argv());
        MemorySegment envp = cStringArray(arena, spec.environment());
        int error = (int) POSIX_SPAWN.invokeExact(pid, path, actions, attributes, argv, envp);
        check("posix_spawn " + spec.program(), error);
        return pid.get(JAVA_INT, 0);
    }

    private static MemorySegment cStringArray(Arena arena, List<String> strings) {
        MemorySegment array = arena.allocate(ADDRESS, strings.size() + 1L);
        for (int i = 0; i < strings.size(); i++) {
            array.setAtIndex(ADDRESS, i, arena.allocateFrom(strings.get(i)));
        }
        array.setAtIndex(ADDRESS, strings.size(), MemorySegment.NULL);
        return array;
    }

    /** The posix_spawn functions return the error number instead of setting errno. */
    private static void check(String operation, int error) throws ErrnoException {
        if (error != 0) {
            throw new ErrnoException(operation, error);
        }
    }

    private static MethodHandle spawnFunction(String name, java.lang.foreign.MemoryLayout... arguments) {
        return Native.function(name, FunctionDescriptor.of(JAVA_INT, arguments));
    }
}
