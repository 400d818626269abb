package dev.wrenn.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** {@code wrenn completion bash|zsh}: prints the completion script kept in the jar's resources. */
final class Completion {
    private Completion() {}

    static int run(List<String> argv, PrintStream out) {
        if (argv.size() != 1 || !(argv.get(0).equals("bash") || argv.get(0).equals("zsh"))) {
            throw new UsageException("completion takes bash or zsh");
        }
        String name = "completion." + argv.get(0);
        try (InputStream in = Completion.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the jar");
            }
            out.print(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + name, e);
        }
    }
}
