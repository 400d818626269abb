package dev.wrenn.cli;

import dev.wrenn.sdk.Sandbox;
import dev.wrenn.sdk.commands.CommandExitException;
import dev.wrenn.sdk.commands.CommandHandle;
import dev.wrenn.sdk.commands.PtyOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * {@code wrenn sandbox shell ID}: a login shell on a PTY in the sandbox, this terminal in raw mode while it runs
 * ({@code stty}, restored on the way out), its size sent at start and again on every SIGWINCH.
 */
final class Shell {
    private Shell() {}

    static int run(Sandbox sandbox, String user, PrintStream err) {
        int[] size = terminalSize();
        PrintStream out = System.out;
        CommandHandle terminal = sandbox.pty()
                .create(PtyOptions.builder()
                        .size(size[0], size[1])
                        .user(user)
                        .onData(bytes -> {
                            out.write(bytes, 0, bytes.length);
                            out.flush();
                        })
                        .build());
        int pid = terminal.pid();
        String saved = stty("-g");
        try {
            stty("raw", "-echo");
            try {
                sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), signal -> {
                    int[] now = terminalSize();
                    sandbox.pty().resize(pid, now[0], now[1]);
                });
            } catch (IllegalArgumentException noSignal) {
                // Not a POSIX terminal: no resizes to follow.
            }
            Thread input = new Thread(() -> pumpInput(sandbox, pid), "wrenn-shell-input");
            input.setDaemon(true);
            input.start();
            try {
                return terminal.waitFor().exitCode();
            } catch (CommandExitException e) {
                return e.exitCode() < 0 ? 137 : e.exitCode();
            }
        } finally {
            if (saved != null && !saved.isBlank()) {
                stty(saved.strip());
            }
        }
    }

    private static void pumpInput(Sandbox sandbox, int pid) {
        InputStream in = System.in;
        byte[] buffer = new byte[4096];
        try {
            int n;
            while ((n = in.read(buffer)) > 0) {
                sandbox.pty().sendInput(pid, Arrays.copyOf(buffer, n));
            }
        } catch (IOException | RuntimeException e) {
            // The shell ended (or the sandbox went away): waitFor reports it.
        }
    }

    /** Columns and rows of this terminal, 80×24 when there is none. */
    static int[] terminalSize() {
        String s = stty("size");
        if (s != null) {
            String[] parts = s.strip().split("\\s+");
            if (parts.length == 2) {
                try {
                    int rows = Integer.parseInt(parts[0]);
                    int cols = Integer.parseInt(parts[1]);
                    if (rows > 0 && cols > 0) {
                        return new int[] {cols, rows};
                    }
                } catch (NumberFormatException ignored) {
                    // Fall through to the default.
                }
            }
        }
        return new int[] {80, 24};
    }

    /** Runs stty on the controlling terminal; its output, or null when there is no terminal. */
    private static String stty(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "stty";
        System.arraycopy(args, 0, cmd, 1, args.length);
        try {
            Process p = new ProcessBuilder(cmd)
                    .redirectInput(new java.io.File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor() == 0 ? output : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
