package dev.wrenn.host.vmm.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wrenn.host.net.Ip;
import dev.wrenn.host.net.NetworkConfig;
import dev.wrenn.host.net.Nft;
import dev.wrenn.host.net.SandboxNetwork;
import dev.wrenn.host.net.Slot;
import dev.wrenn.host.sys.HostCpu;
import dev.wrenn.host.testing.GuestImages;
import dev.wrenn.host.testing.HostTier;
import dev.wrenn.host.vmm.Accel;
import dev.wrenn.host.vmm.AccelMode;
import dev.wrenn.host.vmm.VmSpec;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real boot under whatever accelerator the probe picks (TCG on the development machines): Debian's cloud
 * kernel and a busybox initramfs, inside a sandbox network, reached from the host through the slot's host IP.
 * The figures it logs are for reading, not asserted.
 */
class QemuMicrovmBootTest {
    private static final Logger log = LoggerFactory.getLogger(QemuMicrovmBootTest.class);
    private static final Slot SLOT = new Slot(32020);
    private static final Duration BOOT_LIMIT = Duration.ofSeconds(90);

    @TempDir
    Path work;

    private final SandboxNetwork network = new SandboxNetwork(new Ip(), new Nft(), NetworkConfig.isolated());
    private QemuMicrovm vm;

    @AfterEach
    void cleanUp() {
        if (vm != null) {
            vm.stop(Duration.ofSeconds(5));
        }
        network.tearDown(SLOT);
    }

    @Test
    void aGuestBootsInsideItsNamespaceAndAnswersOnTheSlotsHostIp() throws Exception {
        HostTier.requireTools();
        Path kernel = GuestImages.kernel();
        Accel accel = new AccelProbe(kernel, work, AccelProbe.DEFAULT_PROBE_TIME).decide(AccelMode.AUTO);
        network.setUp(SLOT);
        VmSpec spec = new VmSpec(
                "boot-test",
                kernel,
                GuestImages.initramfs(),
                null,
                1,
                256,
                work.resolve("vm"),
                SLOT.netns(),
                Slot.TAP_NAME,
                "");
        vm = new QemuMicrovm(spec, accel, HostCpu.tscKhz());

        long started = System.nanoTime();
        vm.start();
        awaitConsoleLine(spec, GuestImages.READY_LINE);
        long networkUpMillis = (System.nanoTime() - started) / 1_000_000;
        awaitHello(spec);
        long httpMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(vm.isAlive()).isTrue();
        assertThat(Files.readString(spec.consoleLog())).contains(GuestImages.READY_LINE);
        assertThat(spec.ramFile()).exists();
        log.info(
                "boot under {}: QEMU start to guest network up {} ms, to HTTP answer via host IP {} ms; TCP echo RTT {}",
                accel,
                networkUpMillis,
                httpMillis,
                echoRtt());
    }

    @Test
    void aPausedGuestResumesWhereItWasAndStopRemovesTheProcessAndSocket() throws Exception {
        HostTier.requireTools();
        Path kernel = GuestImages.kernel();
        Accel accel = new AccelProbe(kernel, work, AccelProbe.DEFAULT_PROBE_TIME).decide(AccelMode.AUTO);
        network.setUp(SLOT);
        VmSpec spec = new VmSpec(
                "pause-test",
                kernel,
                GuestImages.initramfs(),
                null,
                1,
                256,
                work.resolve("vm"),
                SLOT.netns(),
                Slot.TAP_NAME,
                "");
        vm = new QemuMicrovm(spec, accel, HostCpu.tscKhz());
        vm.start();
        awaitHello(spec);

        vm.pause();
        assertThat(vm.qmp().execute("query-status").path("status").asText()).isEqualTo("paused");
        vm.resume();
        assertThat(vm.qmp().execute("query-status").path("status").asText()).isEqualTo("running");
        assertThat(httpGet()).isEqualTo(GuestImages.HELLO);

        long pid = vm.pid();
        vm.stop(Duration.ofSeconds(5));
        assertThat(ProcessHandle.of(pid)).isEmpty();
        assertThat(spec.qmpSocket()).doesNotExist();
    }

    private void awaitConsoleLine(VmSpec spec, String line) {
        try {
            await().atMost(BOOT_LIMIT)
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> QemuMicrovm.tail(spec.consoleLog()).contains(line));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(
                    "guest never printed `" + line + "`; serial console:\n" + QemuMicrovm.tail(spec.consoleLog())
                            + "\nQEMU:\n" + QemuMicrovm.tail(vm.qemuLog()),
                    e);
        }
    }

    private void awaitHello(VmSpec spec) {
        try {
            await().atMost(BOOT_LIMIT)
                    .pollInterval(Duration.ofMillis(50))
                    .ignoreExceptions()
                    .until(() -> GuestImages.HELLO.equals(httpGet()));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(
                    "guest did not answer HTTP on " + SLOT.hostIp() + "; serial console:\n"
                            + QemuMicrovm.tail(spec.consoleLog()) + "\nQEMU:\n" + QemuMicrovm.tail(vm.qemuLog()),
                    e);
        }
    }

    private static String httpGet() throws Exception {
        try (HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + SLOT.hostIp() + "/hello.txt"))
                    .timeout(Duration.ofSeconds(2))
                    .build();
            return client.send(request, HttpResponse.BodyHandlers.ofString()).body();
        }
    }

    /** Median and 99th percentile of 200 one-byte round trips to the guest's echo service. */
    private static String echoRtt() throws Exception {
        long[] micros = new long[200];
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(SLOT.hostIp().toString(), 7), 2000);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int i = -20; i < micros.length; i++) {
                long start = System.nanoTime();
                out.write('x');
                out.flush();
                assertThat(in.read()).isEqualTo('x');
                if (i >= 0) {
                    micros[i] = (System.nanoTime() - start) / 1000;
                }
            }
        }
        Arrays.sort(micros);
        return "p50 %d µs, p99 %d µs".formatted(micros[micros.length / 2], micros[micros.length * 99 / 100]);
    }
}
