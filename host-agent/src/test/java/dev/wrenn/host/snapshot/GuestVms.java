package dev.wrenn.host.snapshot;

import static org.awaitility.Awaitility.await;

import dev.wrenn.host.net.Ip;
import dev.wrenn.host.net.NetworkConfig;
import dev.wrenn.host.net.Nft;
import dev.wrenn.host.net.SandboxNetwork;
import dev.wrenn.host.net.Slot;
import dev.wrenn.host.storage.QemuImg;
import dev.wrenn.host.sys.HostCpu;
import dev.wrenn.host.testing.GuestImages;
import dev.wrenn.host.testing.HostTier;
import dev.wrenn.host.testing.SnapshotGuestImage;
import dev.wrenn.host.vmm.Accel;
import dev.wrenn.host.vmm.AccelMode;
import dev.wrenn.host.vmm.VmSpec;
import dev.wrenn.host.vmm.Vmm;
import dev.wrenn.host.vmm.VmmFactory;
import dev.wrenn.host.vmm.qemu.AccelProbe;
import dev.wrenn.host.vmm.qemu.QemuMicrovm;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Real VMs for snapshot tests: a data directory, network slots, the snapshot guest booted under the probed
 * accelerator, HTTP to a guest through its slot, and cleanup of every VM and slot at the end.
 */
final class GuestVms implements AutoCloseable {
    static final Duration GUEST_LIMIT = Duration.ofSeconds(90);
    private static Accel accel;

    final Path data;
    final SnapshotStore store;
    final QemuImg qemuImg = new QemuImg();
    final VmmFactory vmms;
    private final SandboxNetwork network = new SandboxNetwork(new Ip(), new Nft(), NetworkConfig.isolated());
    private final List<Slot> slots = new CopyOnWriteArrayList<>();
    private final List<Vmm> started = new CopyOnWriteArrayList<>();

    GuestVms(Path data) throws IOException {
        HostTier.requireTools();
        this.data = data;
        this.store = new SnapshotStore(data);
        Accel chosen = accel(data);
        long tsc = HostCpu.tscKhz();
        this.vmms = spec -> track(new QemuMicrovm(spec, chosen, tsc));
        SnapshotGuestImage.initramfs();
    }

    private static synchronized Accel accel(Path work) throws IOException {
        if (accel == null) {
            accel = new AccelProbe(GuestImages.kernel(), work, AccelProbe.DEFAULT_PROBE_TIME).decide(AccelMode.AUTO);
        }
        return accel;
    }

    private Vmm track(QemuMicrovm vm) {
        started.add(vm);
        return vm;
    }

    Slot slot(int index) {
        Slot slot = new Slot(index);
        network.tearDown(slot); // a leftover of an aborted earlier run
        network.setUp(slot);
        slots.add(slot);
        return slot;
    }

    VmPlacement placement(String name, Slot slot) {
        return new VmPlacement(name, data.resolve("sandboxes").resolve(name), slot.netns(), Slot.TAP_NAME);
    }

    /** Cold-boots the snapshot guest with a disk overlay over a small zeroed base image; waits until it answers. */
    RestoredVm boot(String name, Slot slot) throws IOException {
        VmPlacement where = placement(name, slot);
        Files.createDirectories(where.vmDir());
        qemuImg.createOverlay(baseImage(), "raw", where.disk());
        VmSpec spec = new VmSpec(
                name,
                GuestImages.kernel(),
                SnapshotGuestImage.initramfs(),
                where.disk(),
                1,
                256,
                where.vmDir(),
                where.netns(),
                where.tap(),
                "");
        Vmm vm = vmms.create(spec);
        vm.start();
        awaitAnswer(slot, "/cgi-bin/counter", spec);
        return new RestoredVm(vm, spec);
    }

    private Path baseImage() throws IOException {
        Path base = data.resolve("images/base.raw");
        if (!Files.exists(base)) {
            Files.createDirectories(base.getParent());
            try (RandomAccessFile file = new RandomAccessFile(base.toFile(), "rw")) {
                file.setLength(4 << 20);
            }
        }
        return base;
    }

    /** Waits until the guest behind {@code slot} answers {@code path}, then returns the answer. */
    String awaitAnswer(Slot slot, String path, VmSpec spec) {
        try {
            return await().atMost(GUEST_LIMIT)
                    .pollInterval(Duration.ofMillis(20))
                    .ignoreExceptions()
                    .until(() -> get(slot, path), answer -> !answer.isBlank());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(
                    "guest %s did not answer %s on %s; serial console:\n%s"
                            .formatted(spec.name(), path, slot.hostIp(), tail(spec.consoleLog())),
                    e);
        }
    }

    private static String tail(Path file) {
        try {
            String text = Files.exists(file) ? Files.readString(file) : "(no console log)";
            return text.length() > 3000 ? text.substring(text.length() - 3000) : text;
        } catch (IOException e) {
            return "(unreadable " + file + ")";
        }
    }

    static String get(Slot slot, String path) throws IOException, InterruptedException {
        try (HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + slot.hostIp() + path))
                    .timeout(Duration.ofSeconds(10))
                    .build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("GET " + path + " answered " + response.statusCode());
            }
            return response.body().strip();
        }
    }

    static long counter(Slot slot) throws IOException, InterruptedException {
        return Long.parseLong(get(slot, "/cgi-bin/counter"));
    }

    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (Vmm vm : started) {
            try {
                vm.stop(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        for (Slot slot : slots) {
            try {
                network.tearDown(slot);
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            throw failures.getFirst();
        }
    }
}
