package dev.wrenn.host.guest;

import dev.wrenn.host.net.Ipv4;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Makes {@link EnvdClient}s, with one HTTP client (and so one connection pool) per guest address. HTTP/1.1 only: the
 * guest agent's server speaks nothing else. An address is reused by the next VM on the same network slot (a sandbox
 * created after a destroy, a resumed one), and a pooled keep-alive connection to the VM that was there before
 * answers with a reset: so whoever starts talking to a new VM first (the /init) calls {@link #renewed}, which drops
 * the address's pool. There are at most as many pools as network slots.
 */
public final class EnvdClients implements AutoCloseable {
    // A guest that does not accept a connection this fast is not reachable (it is on this host, behind a TAP).
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<Ipv4, HttpClient> byAddress = new ConcurrentHashMap<>();

    public EnvdClient forGuest(GuestEndpoint guest) {
        return new EnvdClient(guest, byAddress.computeIfAbsent(guest.hostIp(), address -> newClient()));
    }

    /** A client with no pooled connection, for a VM that has just started answering at the guest's address. */
    public EnvdClient renewed(GuestEndpoint guest) {
        HttpClient fresh = newClient();
        HttpClient previous = byAddress.put(guest.hostIp(), fresh);
        if (previous != null) {
            previous.shutdown(); // its connections lead to a VM that is gone
        }
        return new EnvdClient(guest, fresh);
    }

    private HttpClient newClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .executor(executor)
                .build();
    }

    @Override
    public void close() {
        List<HttpClient> clients = List.copyOf(byAddress.values());
        byAddress.clear();
        clients.forEach(HttpClient::close);
        executor.close();
    }
}
