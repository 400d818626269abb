package dev.wrenn.host.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wrenn.host.sys.Command;
import dev.wrenn.host.sys.CommandResult;
import dev.wrenn.host.testing.HostTier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real namespaces, veths, TAPs and nft rules. Instead of a VM, a test "guest" is an HTTP server inside the
 * namespace bound to the guest address (added on lo), so traffic takes the same DNAT path a guest's would.
 * High slot indexes keep clear of any real sandbox on this machine.
 */
class SandboxNetworkTest {
    private static final int PORT = 18080;
    private static final Slot A = new Slot(32001);
    private static final Slot B = new Slot(32002);

    @TempDir
    Path www;

    private final Ip ip = new Ip();
    private final Nft nft = new Nft();
    private final SandboxNetwork network = new SandboxNetwork(ip, nft, NetworkConfig.isolated());
    private final List<Process> listeners = new ArrayList<>();

    @BeforeEach
    void requireHost() throws Exception {
        HostTier.requireTools();
        Files.writeString(www.resolve("hello.txt"), "hello from the guest\n");
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Process listener : listeners) {
            listener.destroy();
            listener.waitFor(5, TimeUnit.SECONDS);
        }
        for (Slot slot : List.of(A, B, new Slot(32003))) {
            network.tearDown(slot);
        }
    }

    @Test
    void setUpCreatesTheNamespaceVethTapRouteAndDnat() {
        network.setUp(A);

        assertThat(ip.listNetns()).contains("wrenn-ns-32001");
        assertThat(ip.listLinks(null)).contains("wrenn-v32001");
        assertThat(ip.listLinks(A.netns())).contains("lo", "eth0", "tap0");
        assertThat(ip.routes(null)).anyMatch(route -> route.startsWith("10.11.125.1 via 10.12.250.3 dev wrenn-v32001"));
        assertThat(ip.addresses(A.netns())).extracting(Ipv4::toString).contains("10.12.250.3", "169.254.0.22");
        assertThat(nft.listTables(A.netns())).containsExactly("ip wrenn");
        assertThat(nft.listRuleset(A.netns())).contains("ip daddr 10.11.125.1 dnat to 169.254.0.21");
    }

    @Test
    void aSandboxWithoutEgressHasAWayOutThatItsRulesClose() {
        network.setUp(A);

        // The route is there so that an update can open it while the sandbox runs; the filter refuses.
        assertThat(ip.routes(A.netns())).anyMatch(route -> route.startsWith("default via 10.12.250.2 dev eth0"));
        assertThat(nft.listRuleset(A.netns())).containsPattern("chain sandbox_policy \\{[^}]*goto refuse\\s*}");
    }

    @Test
    void anUpdateReplacesTheSandboxsOwnSetsAndVerdict() {
        network.setUp(A, new EgressPolicy(false, List.of(Cidr.parse("1.2.3.4")), List.of()));
        assertThat(nft.listRuleset(A.netns())).contains("1.2.3.4");

        network.update(A, new EgressPolicy(true, List.of(), List.of(Cidr.parse("5.6.0.0/16"))));

        String rules = nft.listRuleset(A.netns());
        assertThat(rules).doesNotContain("1.2.3.4").contains("5.6.0.0/16");
        assertThat(rules).containsPattern("chain sandbox_policy \\{[^}]*@deny_out goto refuse\\s*accept\\s*}");
    }

    @Test
    void theHostReachesTheGuestAddressThroughTheSlotsHostIp() {
        network.setUp(A);
        startGuestListener(A);

        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(httpGet(A.hostIp())).isEqualTo("hello from the guest\n"));
    }

    @Test
    void twoSandboxesCannotReachEachOther() {
        network.setUp(A);
        network.setUp(B);
        startGuestListener(B);
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(httpGet(B.hostIp())).isEqualTo("hello from the guest\n"));

        CommandResult fromA = Ip.inNetns(
                        A.netns(),
                        Command.of(HostTier.BUSYBOX.toString(), "wget", "-q", "-T", "2", "-O", "-", url(B.hostIp())))
                .runAllowingFailure();

        assertThat(fromA.succeeded()).isFalse();
        assertThat(fromA.stdout()).doesNotContain("hello");
        // A's namespace has a way out (for the egress its rules allow), but the host drops what it forwards from one
        // sandbox's veth to another's.
        assertThat(nft.listRuleset(null)).contains("iifname \"wrenn-v32001\" oifname \"wrenn-v*\" drop");
    }

    @Test
    void teardownLeavesNothingBehind() {
        network.setUp(A);

        network.tearDown(A);

        assertNothingLeftOf(A);
    }

    @Test
    void twentySetUpAndTeardownCyclesLeaveNothingBehind() {
        Slot slot = new Slot(32003);
        for (int i = 0; i < 20; i++) {
            network.setUp(slot);
            network.tearDown(slot);
        }

        assertNothingLeftOf(slot);
    }

    @Test
    void aFailedSetUpRemovesWhatItHadBuilt() {
        ip.addNetns(A.netns()); // a leftover makes the first step fail
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> network.setUp(A))
                    .hasMessageContaining("setting up network of slot 32001");
        } finally {
            network.tearDown(A);
        }
        assertNothingLeftOf(A);
    }

    @Test
    void theNamespaceRoutesOutThroughTheHostWithTheHostAndMetadataBlocked() throws Exception {
        Path forward = Path.of("/proc/sys/net/ipv4/ip_forward");
        String forwardBefore = Files.readString(forward).strip();
        SandboxNetwork egress = new SandboxNetwork(ip, nft, new NetworkConfig(true));
        try {
            egress.setUp(A);

            assertThat(ip.routes(A.netns())).anyMatch(route -> route.startsWith("default via 10.12.250.2 dev eth0"));
            String rules = nft.listRuleset(A.netns());
            assertThat(rules).contains("oifname \"eth0\" masquerade").contains("169.254.0.0/16");
            // nft merges 10.11.0.0/16 and 10.12.0.0/16, the other sandboxes, into one interval.
            assertThat(rules).contains("10.11.0.0-10.12.255.255");
            assertThat(ip.addresses(null))
                    .map(Ipv4::toString)
                    .filteredOn(own -> !own.startsWith("10.11.")
                            && !own.startsWith("10.12.")
                            && !own.startsWith("127.")
                            && !own.startsWith("169.254."))
                    .allSatisfy(own -> assertThat(rules).contains(own));
            assertThat(nft.listTables(null)).contains("ip wrenn-egress-32001");
            assertThat(nft.listRuleset(null)).contains("ip saddr 10.12.250.3 oifname");

            egress.tearDown(A);
            assertThat(nft.listTables(null)).doesNotContain("ip wrenn-egress-32001");
            assertNothingLeftOf(A);
        } finally {
            egress.tearDown(A);
            Files.writeString(forward, forwardBefore);
        }
    }

    private void assertNothingLeftOf(Slot slot) {
        assertThat(ip.listNetns()).doesNotContain(slot.netns());
        assertThat(ip.listLinks(null)).doesNotContain(slot.veth());
        assertThat(ip.routes(null)).noneMatch(route -> route.contains(slot.hostIp() + " "));
        assertThat(nft.listTables(null)).doesNotContain("ip " + SandboxRuleset.hostTable(slot));
    }

    private void startGuestListener(Slot slot) {
        ip.addAddress(slot.netns(), "lo", Slot.GUEST_IP.cidr(32));
        Command httpd = Ip.inNetns(
                slot.netns(),
                Command.of(
                        HostTier.BUSYBOX.toString(),
                        "httpd",
                        "-f",
                        "-p",
                        Slot.GUEST_IP + ":" + PORT,
                        "-h",
                        www.toString()));
        listeners.add(httpd.start(www.resolve("httpd-" + slot.index() + ".log")));
    }

    private static CommandResult routeGet(String netns, String address) {
        return Command.of("ip", "-n", netns, "route", "get", address).runAllowingFailure();
    }

    private static String url(Ipv4 address) {
        return "http://" + address + ":" + PORT + "/hello.txt";
    }

    private static String httpGet(Ipv4 address) throws Exception {
        try (HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url(address)))
                    .timeout(Duration.ofSeconds(3))
                    .build();
            return client.send(request, HttpResponse.BodyHandlers.ofString()).body();
        }
    }
}
