package dev.wrenn.host.vmm;

/**
 * How a VMM process ended. The JDK reports a death by signal N as status 128 + N, so statuses above 128 are read as
 * signals (a VMM that itself exits with such a status is described the same way, which is close enough for a log).
 */
public record VmExit(int status) {
    private static final String[] SIGNAL_NAMES = {
        "", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1",
        "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM"
    };

    /** Unknown: the process was not our child, so its status cannot be read. */
    public static final VmExit UNKNOWN = new VmExit(-1);

    public boolean bySignal() {
        return status > 128 && status < 128 + 65;
    }

    public String describe() {
        if (status < 0) {
            return "exited (status unknown)";
        }
        if (bySignal()) {
            int signal = status - 128;
            String name = signal < SIGNAL_NAMES.length ? " (" + SIGNAL_NAMES[signal] + ")" : "";
            return "was killed by signal " + signal + name;
        }
        return "exited with status " + status;
    }
}
