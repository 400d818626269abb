package dev.wrenn.launcher.doctor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Debian packages a Wrenn host needs, read from {@code build/host-packages.txt}: the one list that {@code ./wrenn},
 * {@code build/test.sh} and {@code images/build.sh} read too. Each line is {@code PACKAGE: COMMAND...  # why}.
 */
public record HostPackages(List<HostPackage> packages) {
    public static final Path FILE = Path.of("build", "host-packages.txt");

    /** One package and the commands whose presence on the PATH shows it is installed. */
    public record HostPackage(String name, List<String> commands, String why) {}

    /** The list under the repository root {@code root}. */
    public static HostPackages read(Path root) {
        try {
            return parse(Files.readString(root.resolve(FILE)));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + root.resolve(FILE), e);
        }
    }

    public static HostPackages parse(String text) {
        List<HostPackage> packages = new ArrayList<>();
        for (String line : text.lines().toList()) {
            int hash = line.indexOf('#');
            String body = hash < 0 ? line : line.substring(0, hash);
            String why = hash < 0 ? "" : line.substring(hash + 1).strip();
            int colon = body.indexOf(':');
            if (colon > 0 && !body.isBlank()) {
                List<String> commands = Arrays.stream(
                                body.substring(colon + 1).strip().split("\\s+"))
                        .filter(word -> !word.isEmpty())
                        .toList();
                packages.add(new HostPackage(body.substring(0, colon).strip(), commands, why));
            }
        }
        return new HostPackages(List.copyOf(packages));
    }

    public List<String> names() {
        return packages.stream().map(HostPackage::name).toList();
    }
}
