package dev.wrenn.host.sys;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about the host CPU that the VMM command line needs. */
public final class HostCpu {
    private static final Path CPUINFO = Path.of("/proc/cpuinfo");

    private HostCpu() {}

    /**
     * The TSC rate to hand a guest as {@code tsc_early_khz}: under TCG a microvm guest cannot calibrate its TSC
     * (no PIT that works reliably, no HPET) and hangs in about a third of boots without it.
     */
    public static long tscKhz() {
        try {
            return tscKhz(Files.readString(CPUINFO));
        } catch (IOException e) {
            throw new HostAgentException(ErrorCode.INTERNAL, "reading " + CPUINFO + ": " + e.getMessage(), e);
        }
    }

    static long tscKhz(String cpuinfo) {
        return cpuinfo.lines()
                .filter(line -> line.startsWith("cpu MHz"))
                .map(line -> line.substring(line.indexOf(':') + 1).strip())
                .mapToLong(mhz -> Math.round(Double.parseDouble(mhz) * 1000))
                .findFirst()
                .orElseThrow(() -> new HostAgentException(ErrorCode.INTERNAL, "no `cpu MHz` line in /proc/cpuinfo"));
    }
}
