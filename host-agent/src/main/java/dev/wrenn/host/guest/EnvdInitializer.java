package dev.wrenn.host.guest;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Initializes the real guest agent with {@code POST /init}: the sandbox's access token, the create request's env
 * vars, default user {@code user} in {@code /home/user} (what E2B's templates use) and the host's clock.
 */
public final class EnvdInitializer implements GuestInitializer {
    public static final String DEFAULT_USER = "user";
    public static final String DEFAULT_WORKDIR = "/home/user";

    private final EnvdClients clients;
    private final Clock clock;

    public EnvdInitializer(EnvdClients clients, Clock clock) {
        this.clients = clients;
        this.clock = clock;
    }

    @Override
    public void initialize(GuestEndpoint guest, Map<String, String> envVars, Duration timeout) {
        EnvdInit init = new EnvdInit(envVars, guest.accessToken(), DEFAULT_USER, DEFAULT_WORKDIR, clock.instant());
        try {
            clients.forGuest(guest).init(init, timeout);
        } catch (HostAgentException e) {
            // The guest's status (404, 400...) describes its side; to the creator it is a broken sandbox.
            throw switch (e.code()) {
                case UNAVAILABLE, DEADLINE_EXCEEDED -> e;
                default -> new HostAgentException(ErrorCode.INTERNAL, e.getMessage(), e);
            };
        }
    }
}
