package dev.wrenn.host.guest;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Initializes the real guest agent with {@code POST /init}: the sandbox's access token, the create request's env
 * vars, default user {@code user} in {@code /home/user} (what E2B's templates use), the host's clock and 64 fresh
 * random bytes from the host that re-key the guest kernel's generator (a restored guest would otherwise repeat the
 * random bytes of its snapshot, and every clone those of its siblings).
 */
public final class EnvdInitializer implements GuestInitializer {
    public static final String DEFAULT_USER = "user";
    public static final String DEFAULT_WORKDIR = "/home/user";
    private static final int SEED_BYTES = 64;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] WARM_UP_BYTES = "warm-up\n".getBytes(StandardCharsets.UTF_8);

    private final EnvdClients clients;
    private final Clock clock;

    public EnvdInitializer(EnvdClients clients, Clock clock) {
        this.clients = clients;
        this.clock = clock;
    }

    @Override
    public void initialize(GuestEndpoint guest, Map<String, String> envVars, Duration timeout) {
        send(guest, guest, envVars, timeout);
    }

    @Override
    public void reinitialize(GuestEndpoint guest, String trustedToken, Map<String, String> envVars, Duration timeout) {
        // The call authenticates with the token the restored guest already trusts and hands it the new one.
        send(new GuestEndpoint(guest.sandboxId(), guest.hostIp(), trustedToken), guest, envVars, timeout);
    }

    /**
     * A process, then a file written, read back, inspected and listed, then removed by a process: the first use of
     * each loads its classes into the guest agent (its AOT cache covers start-up only), which under TCG costs a
     * sandbox hundreds of milliseconds per kind of request. Done in a base template before its snapshot, every clone
     * inherits the loaded classes. The file lives in /tmp and is gone before the snapshot.
     */
    @Override
    public void warmUp(GuestEndpoint guest, Duration timeout) {
        EnvdClient client = clients.forGuest(guest);
        String file = "/tmp/.wrenn-warm-up";
        expectSuccess(guest, client.run(ProcessSpec.of("/bin/true"), timeout, 1024), "/bin/true");
        client.writeFile(file, DEFAULT_USER, new ByteArrayInputStream(WARM_UP_BYTES));
        try (InputStream body = client.readFile(file, DEFAULT_USER).body()) {
            body.readAllBytes();
        } catch (IOException e) {
            throw new HostAgentException(
                    ErrorCode.INTERNAL,
                    "warming up the guest agent in sandbox %s: reading %s back: %s"
                            .formatted(guest.sandboxId(), file, e.getMessage()),
                    e);
        }
        client.stat(file, DEFAULT_USER);
        client.listDir("/tmp", 1, DEFAULT_USER);
        expectSuccess(guest, client.run(ProcessSpec.of("/bin/rm", "-f", file), timeout, 1024), "rm " + file);
    }

    private static void expectSuccess(GuestEndpoint guest, ExecResult result, String what) {
        if (result.exitCode() != 0) {
            throw new HostAgentException(
                    ErrorCode.INTERNAL,
                    "warming up the guest agent in sandbox %s: %s exited with %d"
                            .formatted(guest.sandboxId(), what, result.exitCode()));
        }
    }

    private void send(GuestEndpoint via, GuestEndpoint guest, Map<String, String> envVars, Duration timeout) {
        byte[] seed = new byte[SEED_BYTES];
        RANDOM.nextBytes(seed);
        EnvdInit init =
                new EnvdInit(envVars, guest.accessToken(), DEFAULT_USER, DEFAULT_WORKDIR, clock.instant(), seed);
        try {
            clients.renewed(via).init(init, timeout);
        } catch (HostAgentException e) {
            // The guest's status (404, 400...) describes its side; to the creator it is a broken sandbox.
            throw switch (e.code()) {
                case UNAVAILABLE, DEADLINE_EXCEEDED -> e;
                default -> new HostAgentException(ErrorCode.INTERNAL, e.getMessage(), e);
            };
        }
    }
}
