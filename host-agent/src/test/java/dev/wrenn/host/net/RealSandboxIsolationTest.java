package dev.wrenn.host.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.host.sandbox.DataDir;
import dev.wrenn.host.sandbox.SandboxLimits;
import dev.wrenn.host.sandbox.SandboxManager;
import dev.wrenn.host.sandbox.SandboxRequest;
import dev.wrenn.host.sandbox.SandboxSummary;
import dev.wrenn.host.testing.GuestShell;
import dev.wrenn.host.testing.RealImage;
import dev.wrenn.host.testing.RealSandboxes;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two real sandboxes, each guest running commands through its own agent: neither reaches the other nor a listener
 * on the host. Probes go only to the other sandbox and to the host ends of the project's own veth pairs; that the
 * outside is unreachable too is read from the routes and rules, never tried.
 */
class RealSandboxIsolationTest {
    private final SlotAllocator slots = new SlotAllocator(RealImage.SLOTS);
    private final Ip ip = new Ip();
    private DataDir dataDir;
    private SandboxManager manager;
    private ServerSocket hostListener;
    private final AtomicInteger accepted = new AtomicInteger();

    @BeforeEach
    void setUp() throws Exception {
        dataDir = RealImage.dataDir();
        RealSandboxes.sweep(dataDir);
        manager = RealSandboxes.manager(dataDir, slots, SandboxLimits.NONE);
        hostListener = new ServerSocket(0, 50, InetAddress.getByName("0.0.0.0"));
        Thread.ofVirtual().start(this::countConnections);
    }

    @AfterEach
    void tearDown() throws Exception {
        hostListener.close();
        manager.close();
        RealSandboxes.sweep(dataDir);
    }

    @Test
    void sandboxesReachNeitherEachOtherNorTheHostAndHaveNoWayOut() throws Exception {
        SandboxSummary a = manager.create(new SandboxRequest("sb-isoa0001", "base", 1, 256, 0));
        SandboxSummary b = manager.create(new SandboxRequest("sb-isob0001", "base", 1, 256, 0));
        Slot slotA = slotOf(a);
        Slot slotB = slotOf(b);
        int port = hostListener.getLocalPort();

        // The probe itself works: the guest reaches its own agent.
        assertThat(curl(a, "http://127.0.0.1:49983/health")).isEqualTo("204");
        assertThat(curl(a, "http://%s:49983/health".formatted(b.hostIp()))).isEqualTo("failed");
        assertThat(curl(b, "http://%s:49983/health".formatted(a.hostIp()))).isEqualTo("failed");
        assertThat(curl(a, "http://%s:%d/".formatted(slotA.vethIp(), port))).isEqualTo("failed");
        assertThat(curl(a, "http://%s:%d/".formatted(slotB.vethIp(), port))).isEqualTo("failed");
        assertThat(curl(b, "http://%s:%d/".formatted(slotB.vethIp(), port))).isEqualTo("failed");
        assertThat(accepted).as("connections the host listener accepted").hasValue(0);

        for (Slot slot : new Slot[] {slotA, slotB}) {
            // Egress off by default: the sandbox's own chain ends in a refusal (RealEgressTest tries it).
            assertThat(new Nft().listRuleset(slot.netns()))
                    .as("rules of " + slot.netns())
                    .containsPattern("chain sandbox_policy \\{[^}]*goto refuse\\s*}");
        }
    }

    /** The HTTP status the guest's curl got, or "failed" when it could not connect within 3 s. */
    private static String curl(SandboxSummary from, String url) throws Exception {
        GuestShell.Result result = GuestShell.run(
                from.hostIp(), "curl -s -o /dev/null -m 3 -w '%{http_code}' " + url + " || echo -n ' failed'");
        String out = result.stdout().strip();
        return out.endsWith("failed") ? "failed" : out;
    }

    private static Slot slotOf(SandboxSummary sandbox) {
        return new Slot(
                (int) (sandbox.hostIp().value() - Ipv4.parse("10.11.0.0").value()));
    }

    private void countConnections() {
        while (!hostListener.isClosed()) {
            try (Socket ignored = hostListener.accept()) {
                accepted.incrementAndGet();
            } catch (java.io.IOException closed) {
                return;
            }
        }
    }
}
