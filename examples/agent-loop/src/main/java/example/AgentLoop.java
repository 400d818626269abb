package example;

import dev.wrenn.sdk.Sandbox;
import dev.wrenn.sdk.SandboxOptions;
import dev.wrenn.sdk.commands.CommandExitException;
import dev.wrenn.sdk.commands.CommandOptions;
import dev.wrenn.sdk.commands.CommandResult;
import java.time.Duration;
import java.util.List;

/**
 * A small agent loop: a "model" proposes a program, the loop writes it into a sandbox, runs it, and reads the
 * result file back; a failure is fed back and the next proposal tries again. The model here is a fixed list of
 * attempts (the first one has a bug) so that the example runs without an LLM: put your model call in
 * {@link #propose}.
 */
public final class AgentLoop {
    private static final List<String> ATTEMPTS = List.of(
            // Attempt 1: a typo the sandbox reports back.
            "import json\nprimes = [n for n in range(2, 50) if all(n % d for d in range(2, n))]\n"
                    + "json.dump({'primes': prime}, open('/home/user/result.json', 'w'))\n",
            // Attempt 2: fixed.
            "import json\nprimes = [n for n in range(2, 50) if all(n % d for d in range(2, n))]\n"
                    + "json.dump({'primes': primes}, open('/home/user/result.json', 'w'))\nprint(len(primes), 'primes')\n");

    public static void main(String[] args) {
        try (Sandbox sandbox = Sandbox.create(SandboxOptions.builder().timeout(Duration.ofMinutes(5)).build())) {
            String feedback = "";
            for (int step = 0; step < ATTEMPTS.size(); step++) {
                String program = propose(step, feedback);
                sandbox.files().write("/home/user/task.py", program);
                try {
                    CommandResult run = sandbox.commands()
                            .run("python3 /home/user/task.py", CommandOptions.builder()
                                    .timeout(Duration.ofSeconds(30))
                                    .onStdout(s -> System.out.print("  | " + s))
                                    .build());
                    System.out.println("attempt " + (step + 1) + " ran (exit " + run.exitCode() + ")");
                    System.out.println("result: " + sandbox.files().read("/home/user/result.json"));
                    return;
                } catch (CommandExitException e) {
                    feedback = e.result().stderr();
                    System.out.println("attempt " + (step + 1) + " failed; feeding back:\n" + feedback);
                }
            }
            System.out.println("no attempt succeeded");
        }
    }

    /** Where a real agent asks its model, giving it the last failure. */
    private static String propose(int step, String feedback) {
        return ATTEMPTS.get(step);
    }
}
