package dev.wrenn.host.oci;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * {@code lsetxattr(2)}: the JDK writes only {@code user.*} attributes, and images carry {@code security.capability}
 * (ping, for one) and others. Never follows a symlink.
 */
final class Xattrs {
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final MethodHandle LSETXATTR = Linker.nativeLinker()
            .downcallHandle(
                    Linker.nativeLinker().defaultLookup().find("lsetxattr").orElseThrow(),
                    FunctionDescriptor.of(
                            ValueLayout.JAVA_INT,
                            ValueLayout.ADDRESS,
                            ValueLayout.ADDRESS,
                            ValueLayout.ADDRESS,
                            ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_INT),
                    ERRNO);

    private Xattrs() {}

    static void set(Path file, String name, byte[] value) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
            MemorySegment bytes = arena.allocate(Math.max(1, value.length));
            MemorySegment.copy(value, 0, bytes, ValueLayout.JAVA_BYTE, 0, value.length);
            int result = (int) LSETXATTR.invokeExact(
                    state,
                    arena.allocateFrom(file.toString()),
                    arena.allocateFrom(name),
                    bytes,
                    (long) value.length,
                    0);
            if (result != 0) {
                int errno = state.get(
                        ValueLayout.JAVA_INT,
                        Linker.Option.captureStateLayout().byteOffset(MemoryLayout.PathElement.groupElement("errno")));
                throw new IOException("lsetxattr(%s, %s) failed: errno %d".formatted(file, name, errno));
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("lsetxattr: " + t.getMessage(), t);
        }
    }
}
