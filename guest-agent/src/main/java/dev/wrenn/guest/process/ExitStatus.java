package dev.wrenn.guest.process;

import dev.wrenn.protocol.envd.process.ProcessEvent;
import java.util.List;

/**
 * How a process ended, decoded from its raw wait status and described the way E2B's envd (Go's
 * {@code ProcessState.String()}) does: "exit status 1", "signal: killed", "signal: aborted (core dumped)".
 */
record ExitStatus(int exitCode, boolean exited, String status) {
    // Descriptions of Linux signals 1-31 in the wording clients of envd see.
    private static final List<String> SIGNAL_NAMES = List.of(
            "hangup",
            "interrupt",
            "quit",
            "illegal instruction",
            "trace/breakpoint trap",
            "aborted",
            "bus error",
            "floating point exception",
            "killed",
            "user defined signal 1",
            "segmentation fault",
            "user defined signal 2",
            "broken pipe",
            "alarm clock",
            "terminated",
            "stack fault",
            "child exited",
            "continued",
            "stopped (signal)",
            "stopped",
            "stopped (tty input)",
            "stopped (tty output)",
            "urgent I/O condition",
            "CPU time limit exceeded",
            "file size limit exceeded",
            "virtual timer expired",
            "profiling timer expired",
            "window changed",
            "I/O possible",
            "power failure",
            "bad system call");

    static ExitStatus fromWaitStatus(int raw) {
        int signal = raw & 0x7f;
        if (signal == 0) {
            int code = (raw >> 8) & 0xff;
            return new ExitStatus(code, true, "exit status " + code);
        }
        String core = (raw & 0x80) != 0 ? " (core dumped)" : "";
        return new ExitStatus(-1, false, "signal: " + signalName(signal) + core);
    }

    static String signalName(int signal) {
        return signal >= 1 && signal <= SIGNAL_NAMES.size() ? SIGNAL_NAMES.get(signal - 1) : "signal " + signal;
    }

    /** The end event; {@code error} carries the status unless the process exited with 0, as envd does. */
    ProcessEvent toEndEvent() {
        ProcessEvent.EndEvent.Builder end = ProcessEvent.EndEvent.newBuilder()
                .setExitCode(exitCode)
                .setExited(exited)
                .setStatus(status);
        if (!(exited && exitCode == 0)) {
            end.setError(status);
        }
        return ProcessEvent.newBuilder().setEnd(end).build();
    }
}
