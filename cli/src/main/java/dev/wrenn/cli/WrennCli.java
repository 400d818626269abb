package dev.wrenn.cli;

import dev.wrenn.sdk.SandboxException;
import dev.wrenn.sdk.commands.CommandExitException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The {@code wrenn} client commands ({@code ./wrenn login | sandbox | template | snapshot | completion}), built on
 * the Java SDK. Exit status: the command's own for {@code sandbox exec} and {@code shell}, 1 for a failure (the
 * server's message on stderr), 2 for a command line it cannot parse.
 */
public final class WrennCli {
    static final String USAGE = """
            Usage: ./wrenn <command> ...   (server: WRENN_URL and WRENN_API_KEY, else what `./wrenn login` saved)
              login [--url URL] [--key KEY]             save the server and API key in ~/.config/wrenn/config (0600)
              sandbox ls [--json]                       running and paused sandboxes
              sandbox create [--template T] [--timeout SEC] [--env K=V] [--metadata K=V] [--json]   prints the ID
              sandbox info ID [--json]
              sandbox exec ID [--user U] [--cwd DIR] [--env K=V] [--timeout SEC] -- CMD ARGS...
              sandbox shell ID [--user U]               an interactive terminal (resizes follow yours)
              sandbox cp SRC DST                        files or directories; ID:PATH on one side
              sandbox pause ID | resume ID | kill ID
              template ls [--json] | rm NAME | build --name NAME [-f Dockerfile] [CONTEXT]
              snapshot ls [--json] | create ID [--name NAME] | rm ID
              completion bash|zsh                       shell completion (eval "$(./wrenn completion bash)")
            """;

    private WrennCli() {}

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), System.getenv(), System.out, System.err));
    }

    static int run(List<String> argv, Map<String, String> env, PrintStream out, PrintStream err) {
        if (argv.isEmpty()) {
            err.print(USAGE);
            return 2;
        }
        String command = argv.get(0);
        List<String> rest = argv.subList(1, argv.size());
        try {
            switch (command) {
                case "login":
                    return Login.run(rest, env, out, err);
                case "sandbox":
                    return new SandboxCommands(env, out, err).run(rest);
                case "template":
                    return new TemplateCommands(env, out, err).run(rest);
                case "snapshot":
                    return new TemplateCommands(env, out, err).snapshot(rest);
                case "completion":
                    return Completion.run(rest, out);
                case "help":
                case "--help":
                case "-h":
                    out.print(USAGE);
                    return 0;
                default:
                    throw new UsageException("unknown command " + command);
            }
        } catch (UsageException e) {
            err.println("wrenn: " + e.getMessage());
            err.print(USAGE);
            return 2;
        } catch (CommandExitException e) {
            return e.exitCode();
        } catch (SandboxException e) {
            err.println("wrenn: " + e.getMessage());
            return 1;
        } catch (java.io.UncheckedIOException e) {
            err.println("wrenn: " + e.getMessage() + ": " + e.getCause().getMessage());
            return 1;
        }
    }
}
