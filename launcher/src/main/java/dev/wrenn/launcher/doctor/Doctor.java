package dev.wrenn.launcher.doctor;

import dev.wrenn.launcher.UpOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./wrenn doctor [--quick] [up options]}: checks this host for {@code wrenn up} with the same options and prints
 * each finding with what it means and what to do; exits 1 when Wrenn cannot run. {@code --quick} leaves out the KVM
 * probe boot (what {@code ./wrenn up} runs before it starts). {@link #refuseToStartOnFailure} is the same check inside
 * {@code wrenn up}.
 */
public final class Doctor {
    /** The repository root, where {@code build/host-packages.txt} is; {@code ./wrenn} sets it. */
    public static final String ROOT_PROPERTY = "wrenn.root";

    private Doctor() {}

    public static void main(String[] args) {
        List<String> rest = new ArrayList<>(List.of(args));
        if (rest.contains("-h") || rest.contains("--help")) {
            System.out.println(
                    "Usage: wrenn doctor [--quick] [--data-dir DIR] [--port N] [--host ADDR] [--proxy-port M]"
                            + "\nChecks this host for `wrenn up` with the same options; --quick skips the KVM probe boot.");
            return;
        }
        boolean quick = rest.remove("--quick");
        UpOptions options;
        try {
            options = UpOptions.parse(rest, System.getenv());
        } catch (UpOptions.Invalid e) {
            System.err.println("wrenn doctor: " + e.getMessage());
            System.exit(2);
            return;
        }
        List<Finding> findings = findings(options, !quick);
        // Before every start, only what needs attention; the doctor itself shows everything it checked.
        List<Finding> shown = quick
                ? findings.stream()
                        .filter(f -> f.severity() != Finding.Severity.OK)
                        .toList()
                : findings;
        System.out.println(report(options, shown, quick ? "wrenn up" : "wrenn doctor"));
        System.exit(findings.stream().anyMatch(Finding::failed) ? 1 : 0);
    }

    /** Called first by {@code wrenn up}: prints the failed findings and exits 1 when there is one. */
    public static void refuseToStartOnFailure(UpOptions options, PrintStream err) {
        List<Finding> failed =
                findings(options, false).stream().filter(Finding::failed).toList();
        if (failed.isEmpty()) {
            return;
        }
        err.println("wrenn up: refusing to start: this host cannot run Wrenn yet");
        failed.forEach(finding -> err.println(finding.render()));
        err.println("wrenn up: `./wrenn doctor` checks again and says more");
        System.exit(1);
    }

    static List<Finding> findings(UpOptions options, boolean bootKvm) {
        Path root = Path.of(System.getProperty(ROOT_PROPERTY, "."));
        return new Checks(options, HostPackages.read(root), LinuxProbes.of(options.dataDir(), bootKvm)).run();
    }

    /** The printed report: a heading, every finding, and a closing verdict. */
    public static String report(UpOptions options, List<Finding> findings, String who) {
        StringBuilder out = new StringBuilder(who + ": checking this host for data directory " + options.dataDir()
                + ", " + options.host() + " ports " + options.port() + " and " + options.proxyPort() + "\n");
        findings.forEach(finding -> out.append(finding.render()).append('\n'));
        long failures = findings.stream().filter(Finding::failed).count();
        long warnings = findings.stream()
                .filter(finding -> finding.severity() == Finding.Severity.WARN)
                .count();
        out.append(who)
                .append(": ")
                .append(failures)
                .append(" failed, ")
                .append(warnings)
                .append(" warnings");
        out.append(failures > 0 ? ": Wrenn cannot run here until the failed checks are fixed" : ": Wrenn can run here");
        return out.toString();
    }
}
