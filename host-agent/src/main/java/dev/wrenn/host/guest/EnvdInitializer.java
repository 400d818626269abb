package dev.wrenn.host.guest;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
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

    @Override
    public void warmUp(GuestEndpoint guest, Duration timeout) {
        ExecResult result = clients.forGuest(guest).run(ProcessSpec.of("/bin/true"), timeout, 1024);
        if (result.exitCode() != 0) {
            throw new HostAgentException(
                    ErrorCode.INTERNAL,
                    "warming up the guest agent in sandbox %s: /bin/true exited with %d"
                            .formatted(guest.sandboxId(), result.exitCode()));
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
