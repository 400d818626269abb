package dev.wrenn.host.guest;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Makes {@link EnvdClient}s. HTTP/1.1 only: the guest agent's server speaks nothing else.
 *
 * <p>One HTTP client per guest address and boot (told apart by the access token each create generates): a slot's
 * address is reused by the next sandbox, and a connection pool shared across boots would hand the new guest's
 * first request a keep-alive connection to the old, destroyed VM, which fails with no bytes received. When a new
 * boot appears at an address, the old boot's client is closed; the address is only reused once the old VM is gone.
 */
public final class EnvdClients implements AutoCloseable {
    // A guest that does not accept a connection this fast is not reachable (it is on this host, behind a TAP).
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Boot> boots = new HashMap<>();
    private boolean closed;

    private record Boot(String accessToken, HttpClient http) {}

    public EnvdClient forGuest(GuestEndpoint guest) {
        return new EnvdClient(guest, httpFor(guest));
    }

    private synchronized HttpClient httpFor(GuestEndpoint guest) {
        if (closed) {
            throw new IllegalStateException("the guest agent clients are closed");
        }
        String address = guest.hostIp().toString();
        Boot boot = boots.get(address);
        if (boot != null && boot.accessToken().equals(guest.accessToken())) {
            return boot.http();
        }
        if (boot != null) {
            boot.http().shutdownNow(); // the old VM is gone: nothing to wait for (close() would wait)
        }
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .executor(executor)
                .build();
        boots.put(address, new Boot(guest.accessToken(), http));
        return http;
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            boots.values().forEach(boot -> boot.http().close());
            boots.clear();
        }
        executor.close();
    }
}
