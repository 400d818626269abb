package dev.wrenn.launcher.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** build/host-packages.txt is the one list of a host's packages: every script reads it, none keeps its own. */
class HostPackagesTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> READERS =
            List.of("wrenn", "build/test.sh", "images/build.sh", "images/boot-probe.sh");
    /** The scripts that once kept their own list (images/build.sh names the guest's packages, another list). */
    private static final List<String> HOST_ONLY = List.of("wrenn", "build/test.sh", "images/boot-probe.sh");

    @Test
    void theListParsesIntoPackagesWithTheCommandsThatProveThem() {
        HostPackages packages = HostPackages.read(ROOT);

        assertThat(packages.names()).contains("qemu-system-x86", "qemu-utils", "nftables", "iproute2", "mmdebstrap");
        assertThat(packages.packages())
                .filteredOn(p -> p.name().equals("qemu-utils"))
                .singleElement()
                .satisfies(p -> assertThat(p.commands()).containsExactly("qemu-img"));
        assertThat(packages.packages()).allSatisfy(p -> assertThat(p.commands()).isNotEmpty());
    }

    @Test
    void everyScriptThatInstallsHostPackagesReadsTheListAndKeepsNoneOfItsOwn() throws IOException {
        HostPackages packages = HostPackages.read(ROOT);
        Set<String> commands =
                packages.packages().stream().flatMap(p -> p.commands().stream()).collect(Collectors.toSet());
        // Package names that are not also command names: the ones an own list would have to spell out.
        List<String> names =
                packages.names().stream().filter(n -> !commands.contains(n)).toList();
        for (String script : READERS) {
            String code = withoutComments(Files.readString(ROOT.resolve(script)));
            assertThat(code).as(script).contains("build/host-packages.sh").doesNotContain("apt-get install");
            for (String name : HOST_ONLY.contains(script) ? names : List.<String>of()) {
                assertThat(Pattern.compile("(^|[\\s\"'(])" + Pattern.quote(name) + "($|[\\s\"')])", Pattern.MULTILINE)
                                .matcher(code)
                                .find())
                        .as("%s names the host package %s itself", script, name)
                        .isFalse();
            }
        }
    }

    @Test
    void theTestTiersExtrasAreOnlyExtras() throws IOException {
        String testSh = Files.readString(ROOT.resolve("build/test.sh"));
        String extras = testSh.substring(
                testSh.indexOf("TEST_EXTRA_DEBIAN_PACKAGES=("), testSh.indexOf("\n)", testSh.indexOf("TEST_EXTRA")));

        assertThat(HostPackages.read(ROOT).names())
                .noneMatch(name -> withoutComments(extras).contains(" " + name));
        assertThat(extras).contains("postgresql").contains("chromium");
    }

    private static String withoutComments(String text) {
        return text.lines().map(line -> line.replaceAll("(^|\\s)#.*$", "")).collect(Collectors.joining("\n"));
    }
}
