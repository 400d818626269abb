package dev.wrenn.launcher.campaigns;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The reliability campaigns of docs/reliability.md, run against the real API: {@code ./wrenn soak},
 * {@code ./wrenn integrity} and {@code ./wrenn load}. Each prints its figures and exits 0 only when it found
 * nothing wrong.
 */
public final class Campaigns {
    private Campaigns() {}

    /** What one campaign does with its session; {@code interrupted} prints the figures so far on SIGTERM. */
    interface Campaign {
        int run() throws Exception;

        void interrupted();
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        if (args.length == 0) {
            System.err.println("wrenn: campaigns: soak, integrity or load");
            System.exit(2);
        }
        String name = args[0];
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        Set<String> flags;
        String usage;
        switch (name) {
            case "soak" -> {
                flags = Soak.FLAGS;
                usage = Soak.USAGE;
            }
            case "integrity" -> {
                flags = Integrity.FLAGS;
                usage = Integrity.USAGE;
            }
            case "load" -> {
                flags = Load.FLAGS;
                usage = Load.USAGE;
            }
            default -> {
                System.err.println("wrenn: unknown campaign `" + name + "` (soak, integrity, load)");
                System.exit(2);
                return;
            }
        }
        if (rest.contains("-h") || rest.contains("--help")) {
            out.println(usage);
            return;
        }
        CampaignOptions options;
        try {
            options = CampaignOptions.parse(rest, flags);
        } catch (IllegalArgumentException e) {
            System.err.println(usage);
            System.err.println("wrenn " + name + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        if (name.equals("load") && !options.values().containsKey("--max-sandboxes")) {
            // The scratch wrenn up needs a network slot per live sandbox.
            options.values().put("--max-sandboxes", Integer.toString(options.integer("--sandboxes", 20, 1, 4096) + 4));
        }
        Path root = Path.of(System.getProperty("wrenn.root", ".")).toAbsolutePath();
        Session session;
        try {
            session = Session.open(root, options, out);
        } catch (Exception e) {
            System.err.println("wrenn " + name + ": could not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Campaign campaign = switch (name) {
            case "soak" -> new Soak(session, options, out);
            case "integrity" -> new Integrity(session, options, out);
            default -> new Load(session, options, out);
        };
        // SIGTERM or Ctrl-C: the figures so far, then the scratch `wrenn up` is stopped (never left running).
        Thread hook = new Thread(
                () -> {
                    campaign.interrupted();
                    session.close();
                },
                "campaign-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        int status;
        try {
            status = campaign.run();
        } catch (Exception e) {
            e.printStackTrace(out);
            status = 1;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            return; // SIGTERM: the hook reports and stops the scratch wrenn up
        }
        String stopProblem = session.stop();
        if (stopProblem != null) {
            out.println(name + ": " + stopProblem);
            status = 1;
        }
        out.println(name + ": " + (status == 0 ? "PASS" : "FAIL"));
        out.flush();
        System.exit(status);
    }
}
