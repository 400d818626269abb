package dev.wrenn.host.guest;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Makes {@link EnvdClient}s over one shared HTTP client (its connection pool is keyed by address, so sandboxes do
 * not share connections). HTTP/1.1 only: the guest agent's server speaks nothing else.
 */
public final class EnvdClients implements AutoCloseable {
    // A guest that does not accept a connection this fast is not reachable (it is on this host, behind a TAP).
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .executor(executor)
            .build();

    public EnvdClient forGuest(GuestEndpoint guest) {
        return new EnvdClient(guest, http);
    }

    @Override
    public void close() {
        http.close();
        executor.close();
    }
}
