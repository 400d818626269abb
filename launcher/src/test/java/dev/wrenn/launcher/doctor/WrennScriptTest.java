package dev.wrenn.launcher.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./wrenn as a user runs it: a missing command is named with its package, and the systemd unit it writes. */
class WrennScriptTest {
    private static final Path ROOT = HostPackagesTest.ROOT;

    @TempDir
    Path temp;

    record Run(int status, String output) {}

    /** A PATH of links to every program on this PATH but one: a host where that program is not installed. */
    private Path pathWithout(String hidden) throws IOException {
        Path bin = Files.createDirectories(temp.resolve("bin"));
        for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
            Path directory = Path.of(dir);
            if (!Files.isDirectory(directory)) {
                continue;
            }
            try (Stream<Path> programs = Files.list(directory)) {
                for (Path program : programs.toList()) {
                    Path link = bin.resolve(program.getFileName().toString());
                    if (!program.getFileName().toString().equals(hidden)
                            && Files.isExecutable(program)
                            && !Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        Files.createSymbolicLink(link, program);
                    }
                }
            }
        }
        assertThat(bin.resolve(hidden)).doesNotExist();
        return bin;
    }

    private static Run run(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES))
                .as("%s finished", command)
                .isTrue();
        return new Run(process.exitValue(), output);
    }

    @Test
    void upWithoutNftNamesItsPackageAndTheFixAndStartsNothing() throws Exception {
        Path bin = pathWithout("nft");

        Run up = run(
                List.of(
                        "bash",
                        "./wrenn",
                        "up",
                        "--data-dir",
                        temp.resolve("data").toString(),
                        "--port",
                        "0"),
                Map.of("PATH", bin.toString(), "WRENN_NO_INSTALL", "1"));

        assertThat(up.status()).as(up.output()).isEqualTo(1);
        assertThat(up.output())
                .contains("command 'nft' is missing: it comes with the Debian package nftables")
                .contains("apt-get update && apt-get install -y --no-install-recommends nftables")
                .doesNotContain("Exception");
        assertThat(temp.resolve("data")).doesNotExist();
    }

    @Test
    void withoutRootUpSaysWhichCommandToRunWithSudo() throws Exception {
        Path bin = pathWithout("qemu-img");
        Path setpriv = Path.of("/usr/bin/setpriv");
        assertThat(setpriv)
                .as("setpriv (util-linux) runs the script as another user")
                .isExecutable();
        Files.setPosixFilePermissions(temp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));

        Run up = run(
                List.of(
                        setpriv.toString(),
                        "--reuid=65534",
                        "--regid=65534",
                        "--clear-groups",
                        "bash",
                        "./wrenn",
                        "up"),
                Map.of("PATH", bin.toString(), "HOME", temp.toString()));

        assertThat(up.status()).as(up.output()).isEqualTo(1);
        assertThat(up.output())
                .contains("command 'qemu-img' is missing: it comes with the Debian package qemu-utils")
                .contains("sudo apt-get update && sudo apt-get install -y --no-install-recommends qemu-utils");
    }

    @Test
    void installServiceWritesAUnitThatRunsUpWithItsOptionsAndUninstallRemovesIt() throws Exception {
        Path units = temp.resolve("units");

        Run install = run(
                List.of(
                        "bash",
                        "./wrenn",
                        "install-service",
                        "--unit-dir",
                        units.toString(),
                        "--no-enable",
                        "--data-dir",
                        "/srv/wrenn data",
                        "--port",
                        "9000"),
                Map.of());

        assertThat(install.status()).as(install.output()).isZero();
        Path unit = units.resolve("wrenn.service");
        List<String> lines = Files.readAllLines(unit);
        assertThat(lines)
                .contains("ExecStart=\"" + ROOT + "/wrenn\" up \"--data-dir\" \"/srv/wrenn data\" \"--port\" \"9000\"")
                .contains("WorkingDirectory=" + ROOT)
                .contains("Restart=on-failure", "KillMode=mixed", "After=network-online.target")
                .contains("WantedBy=multi-user.target");
        assertThat(install.output()).contains("not enabled (--no-enable)");

        Run uninstall = run(List.of("bash", "./wrenn", "uninstall-service", "--unit-dir", units.toString()), Map.of());

        assertThat(uninstall.status()).as(uninstall.output()).isZero();
        assertThat(unit).doesNotExist();
        assertThat(new ArrayList<>(List.of(units.toFile().list()))).isEmpty();
    }
}
