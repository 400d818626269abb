package dev.wrenn.host.guest;

import dev.wrenn.host.net.Ipv4;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * Makes {@link EnvdClient}s, with one HTTP client (and so one connection pool) per guest address. HTTP/1.1 only: the
 * guest agent's server speaks nothing else. An address is reused by the next VM on the same network slot (a sandbox
 * created after a destroy, a resumed one), and a pooled keep-alive connection to the VM that was there before
 * answers with a reset: so whoever starts talking to a new VM first (the /init) calls {@link #renewed}, which drops
 * the address's pool. There are at most as many pools as network slots.
 */
public final class EnvdClients implements AutoCloseable {
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<Ipv4, HttpClient> byAddress = new ConcurrentHashMap<>();
    private final GuestLimits limits;
    private final Function<Ipv4, URI> baseOf;
    private final GuestFaults faults = new GuestFaults();
    private final GuestPace pace;
    private final StartGates gates;

    /** Guests at {@code http://<host IP>:49983}, with the default limits. */
    public EnvdClients() {
        this(GuestLimits.DEFAULT, address -> URI.create("http://" + address + ":" + EnvdHealth.PORT));
    }

    /** @param baseOf where the guest agent behind a sandbox's host address answers (tests point it elsewhere) */
    public EnvdClients(GuestLimits limits, Function<Ipv4, URI> baseOf) {
        this(limits, baseOf, StartGates.Config.DEFAULT, GuestPace.ofHost());
    }

    /**
     * @param gateConfig how many process starts each guest is sent at once and how many may wait
     * @param pace how much slower than normal guests answer now (the host's load)
     */
    public EnvdClients(GuestLimits limits, Function<Ipv4, URI> baseOf, StartGates.Config gateConfig, GuestPace pace) {
        this.limits = limits;
        this.baseOf = baseOf;
        this.pace = pace;
        this.gates = new StartGates(gateConfig, pace, limits.headers());
    }

    public EnvdClient forGuest(GuestEndpoint guest) {
        return client(guest, byAddress.computeIfAbsent(guest.hostIp(), address -> newClient()));
    }

    /** The sandboxes whose guest agent misbehaved, as every client made here records them. */
    public GuestFaults faults() {
        return faults;
    }

    /** Where process starts wait for their turn in each guest. */
    public StartGates gates() {
        return gates;
    }

    /** A client with no pooled connection, for a VM that has just started answering at the guest's address. */
    public EnvdClient renewed(GuestEndpoint guest) {
        HttpClient fresh = newClient();
        HttpClient previous = byAddress.put(guest.hostIp(), fresh);
        if (previous != null) {
            previous.shutdown(); // its connections lead to a VM that is gone
        }
        return client(guest, fresh);
    }

    private EnvdClient client(GuestEndpoint guest, HttpClient http) {
        return new EnvdClient(guest, http, baseOf.apply(guest.hostIp()), limits, faults, gates, pace);
    }

    private HttpClient newClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(limits.connect())
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
