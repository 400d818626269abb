package dev.wrenn.control.testing;

import com.google.protobuf.ByteString;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.error.ErrorCode;
import dev.wrenn.control.hosts.HostTemplate;
import dev.wrenn.protocol.hostagent.v1.CreateSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.CreateSandboxResponse;
import dev.wrenn.protocol.hostagent.v1.CreateSnapshotResponse;
import dev.wrenn.protocol.hostagent.v1.EgressRules;
import dev.wrenn.protocol.hostagent.v1.ExecData;
import dev.wrenn.protocol.hostagent.v1.ExecEnd;
import dev.wrenn.protocol.hostagent.v1.ExecRequest;
import dev.wrenn.protocol.hostagent.v1.ExecResponse;
import dev.wrenn.protocol.hostagent.v1.ExecStart;
import dev.wrenn.protocol.hostagent.v1.ExecStreamRequest;
import dev.wrenn.protocol.hostagent.v1.ExecStreamResponse;
import dev.wrenn.protocol.hostagent.v1.GetMetricsResponse;
import dev.wrenn.protocol.hostagent.v1.ListDirRequest;
import dev.wrenn.protocol.hostagent.v1.ListDirResponse;
import dev.wrenn.protocol.hostagent.v1.ListSandboxesResponse;
import dev.wrenn.protocol.hostagent.v1.ReadFileStreamRequest;
import dev.wrenn.protocol.hostagent.v1.ResumeSandboxResponse;
import dev.wrenn.protocol.hostagent.v1.SandboxInfo;
import dev.wrenn.protocol.hostagent.v1.SandboxStatus;
import dev.wrenn.protocol.hostagent.v1.WriteFileMeta;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A host agent that keeps its "VMs" in memory: creates, destroys, lists, execs (a few known commands), files, pause,
 * resume and snapshots (a snapshot is a copy of the VM's files, handed to VMs created from it), and
 * the events a real agent reports on its own (a VM that died, one the inactivity reaper paused). Tests change its
 * behaviour through the public fields.
 */
public class InMemoryHostAgent extends FakeHostAgent {
    /** A VM as the agent sees it. */
    public static final class Vm {
        public final CreateSandboxRequest request;
        public volatile String hostIp;
        public volatile SandboxStatus status = SandboxStatus.SANDBOX_STATUS_RUNNING;
        public volatile String stopReason = "";
        public final Map<String, byte[]> files = new ConcurrentHashMap<>();

        /** The egress rules the VM has now: those it was created with, then updated or resumed with. */
        public volatile EgressRules egress;

        Vm(CreateSandboxRequest request, String hostIp) {
            this.request = request;
            this.egress = request.getEgress();
            this.hostIp = hostIp;
        }
    }

    public final Map<String, Vm> vms = new ConcurrentHashMap<>();
    public final List<String> destroyed = new CopyOnWriteArrayList<>();
    public final List<ExecRequest> execs = new CopyOnWriteArrayList<>();
    public final List<ExecStreamRequest> streams = new CopyOnWriteArrayList<>();
    public final CountDownLatch streamCancelled = new CountDownLatch(1);
    /** Snapshots by the name the control plane stored them under: the files of the VM they froze. */
    public final Map<String, Map<String, byte[]>> snapshots = new ConcurrentHashMap<>();
    /** When each snapshot's files were made, as the agent's template listing reports it. */
    public final Map<String, Instant> snapshotMadeAt = new ConcurrentHashMap<>();
    /** The timeout each ResumeSandbox call passed, by sandbox id. */
    public final Map<String, Integer> resumedWithTimeout = new ConcurrentHashMap<>();

    private final Set<String> autoPaused = ConcurrentHashMap.newKeySet();
    private final AtomicInteger slots = new AtomicInteger();
    /** When set, the address new VMs get (a loopback address where a test serves a fake guest agent). */
    public volatile String hostIpForNewVms;
    /** Set to make every create fail with this error. */
    public volatile ApiException createFailure;
    /** Set to make every CreateSnapshot fail with this error, leaving the snapshots as they were. */
    public volatile ApiException snapshotFailure;
    /** Set to hold every create until the latch opens (for races with DELETE). */
    public volatile CountDownLatch createGate;
    /** Set to make ListSandboxes fail as an unreachable agent's would. */
    public volatile boolean unreachable;
    /** What Exec answers; by default {@link #defaultExec}. */
    public volatile Function<ExecRequest, ExecResponse> execHandler = InMemoryHostAgent::defaultExec;

    @Override
    public CreateSandboxResponse createSandbox(CreateSandboxRequest request) {
        awaitGate();
        if (createFailure != null) {
            throw createFailure;
        }
        Vm vm = new Vm(request, nextHostIp());
        Map<String, byte[]> frozen = snapshots.get(request.getTemplate());
        if (frozen != null) {
            vm.files.putAll(frozen);
        }
        vms.put(request.getSandboxId(), vm);
        return CreateSandboxResponse.newBuilder()
                .setSandboxId(request.getSandboxId())
                .setStatus(SandboxStatus.SANDBOX_STATUS_RUNNING)
                .setHostIp(vm.hostIp)
                .setEnvdAccessToken(accessToken(request.getSandboxId()))
                .build();
    }

    /** The guest agent token this agent made up for a sandbox. */
    public static String accessToken(String sandboxId) {
        return "token-" + sandboxId;
    }

    @Override
    public void destroySandbox(String sandboxId) {
        destroyed.add(sandboxId);
        if (vms.remove(sandboxId) == null) {
            throw notFound("sandbox " + sandboxId);
        }
    }

    @Override
    public ListSandboxesResponse listSandboxes() {
        if (unreachable) {
            throw unreachable("ListSandboxes");
        }
        ListSandboxesResponse.Builder list = ListSandboxesResponse.newBuilder();
        vms.forEach((id, vm) -> list.addSandboxes(SandboxInfo.newBuilder()
                .setSandboxId(id)
                .setStatus(vm.status)
                .setStopReason(vm.stopReason)
                .setTemplate(vm.request.getTemplate())
                .setHostIp(vm.hostIp)));
        for (String id : List.copyOf(autoPaused)) {
            list.addAutoPausedSandboxIds(id);
            autoPaused.remove(id);
        }
        return list.build();
    }

    @Override
    public ExecResponse exec(ExecRequest request) {
        vm(request.getSandboxId());
        execs.add(request);
        return execHandler.apply(request);
    }

    /** {@code echo a b} prints "a b\n"; {@code binary} prints bytes that are not UTF-8; anything else exits 127. */
    public static ExecResponse defaultExec(ExecRequest request) {
        return switch (request.getCmd()) {
            case "echo" ->
                ExecResponse.newBuilder()
                        .setStdout(ByteString.copyFromUtf8(String.join(" ", request.getArgsList()) + "\n"))
                        .build();
            case "binary" ->
                ExecResponse.newBuilder()
                        .setStdout(ByteString.copyFrom(new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, 0x41}))
                        .setStderr(ByteString.copyFromUtf8("ok"))
                        .build();
            default ->
                ExecResponse.newBuilder()
                        .setStderr(ByteString.copyFromUtf8(request.getCmd() + ": not found\n"))
                        .setExitCode(127)
                        .build();
        };
    }

    /** Start, "out" on stdout, "err" on stderr, exit 3; {@code sleep} runs until the stream is closed. */
    @Override
    public Stream<ExecStreamResponse> execStream(ExecStreamRequest request) {
        vm(request.getSandboxId());
        streams.add(request);
        List<ExecStreamResponse> events = new ArrayList<>();
        events.add(ExecStreamResponse.newBuilder()
                .setStart(ExecStart.newBuilder().setPid(7))
                .build());
        if (request.getCmd().equals("sleep")) {
            CountDownLatch closed = new CountDownLatch(1);
            return Stream.concat(events.stream(), Stream.generate(() -> blockUntil(closed)))
                    .onClose(() -> {
                        closed.countDown();
                        streamCancelled.countDown();
                    });
        }
        events.add(data(ExecData.newBuilder().setStdout(ByteString.copyFromUtf8("out"))));
        events.add(data(ExecData.newBuilder().setStderr(ByteString.copyFromUtf8("err"))));
        events.add(ExecStreamResponse.newBuilder()
                .setEnd(ExecEnd.newBuilder().setExitCode(3))
                .build());
        return events.stream();
    }

    @Override
    public long writeFileStream(WriteFileMeta meta, InputStream content) {
        Vm vm = vm(meta.getSandboxId());
        try {
            byte[] bytes = content.readAllBytes();
            vm.files.put(meta.getPath(), bytes);
            return bytes.length;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Stream<ByteString> readFileStream(ReadFileStreamRequest request) {
        byte[] content = vm(request.getSandboxId()).files.get(request.getPath());
        if (content == null) {
            throw notFound("file " + request.getPath());
        }
        List<ByteString> chunks = new ArrayList<>();
        for (int at = 0; at < content.length; at += 64 * 1024) {
            chunks.add(ByteString.copyFrom(content, at, Math.min(64 * 1024, content.length - at)));
        }
        return chunks.stream();
    }

    @Override
    public void pingSandbox(String sandboxId) {
        Vm vm = vm(sandboxId);
        if (vm.status != SandboxStatus.SANDBOX_STATUS_RUNNING) {
            throw new ApiException(ErrorCode.CONFLICT, "PingSandbox sandbox " + sandboxId + ": not running");
        }
    }

    /** A running VM's directory listing: empty, since its files are a flat map (a real agent lists the guest's). */
    @Override
    public ListDirResponse listDir(ListDirRequest request) {
        pingSandbox(request.getSandboxId());
        return ListDirResponse.getDefaultInstance();
    }

    /** A running VM's metrics, as a real agent reads them from its guest; a paused one's are refused like a ping. */
    @Override
    public GetMetricsResponse getMetrics(String sandboxId) {
        pingSandbox(sandboxId);
        return GetMetricsResponse.newBuilder()
                .setTimestampUnixMs(System.currentTimeMillis())
                .setCpuCount(vm(sandboxId).request.getVcpus())
                .setMemTotalBytes((long) vm(sandboxId).request.getMemoryMb() << 20)
                .build();
    }

    @Override
    public SandboxInfo getSandbox(String sandboxId) {
        Vm vm = vm(sandboxId);
        return SandboxInfo.newBuilder()
                .setSandboxId(sandboxId)
                .setStatus(vm.status)
                .setTemplate(vm.request.getTemplate())
                .setHostIp(vm.hostIp)
                .setEnvdAccessToken(accessToken(sandboxId))
                .build();
    }

    @Override
    public void pauseSandbox(String sandboxId) {
        Vm vm = vm(sandboxId);
        if (vm.status != SandboxStatus.SANDBOX_STATUS_RUNNING) {
            throw new ApiException(ErrorCode.CONFLICT, "PauseSandbox sandbox " + sandboxId + ": not running");
        }
        vm.status = SandboxStatus.SANDBOX_STATUS_PAUSED;
    }

    /** A resumed VM comes back on a new address, as a real one may. */
    @Override
    public ResumeSandboxResponse resumeSandbox(String sandboxId, int timeoutSec, EgressRules egress) {
        ResumeSandboxResponse resumed = resumeSandbox(sandboxId, timeoutSec);
        vm(sandboxId).egress = egress;
        return resumed;
    }

    /** Records the rules as the real agent keeps them: a running or paused VM's. */
    @Override
    public SandboxInfo updateSandboxNetwork(String sandboxId, EgressRules egress) {
        Vm vm = vm(sandboxId);
        if (vm.status != SandboxStatus.SANDBOX_STATUS_RUNNING && vm.status != SandboxStatus.SANDBOX_STATUS_PAUSED) {
            throw new ApiException(ErrorCode.CONFLICT, "UpdateSandboxNetwork sandbox " + sandboxId + ": not live");
        }
        vm.egress = egress;
        return SandboxInfo.newBuilder()
                .setSandboxId(sandboxId)
                .setEgress(egress)
                .build();
    }

    @Override
    public ResumeSandboxResponse resumeSandbox(String sandboxId, int timeoutSec) {
        Vm vm = vm(sandboxId);
        if (vm.status != SandboxStatus.SANDBOX_STATUS_PAUSED) {
            throw new ApiException(ErrorCode.CONFLICT, "ResumeSandbox sandbox " + sandboxId + ": not paused");
        }
        resumedWithTimeout.put(sandboxId, timeoutSec);
        vm.hostIp = nextHostIp();
        vm.status = SandboxStatus.SANDBOX_STATUS_RUNNING;
        return ResumeSandboxResponse.newBuilder()
                .setSandboxId(sandboxId)
                .setStatus(vm.status)
                .setHostIp(vm.hostIp)
                .build();
    }

    /**
     * Pauses a running VM first and leaves it paused; the size is 1 KiB per file. An existing name is ALREADY_EXISTS
     * unless {@code replace}; a replace is refused while VMs depend on the old one, as the real agent refuses.
     */
    @Override
    public CreateSnapshotResponse createSnapshot(String sandboxId, String name, boolean replace) {
        Vm vm = vm(sandboxId);
        vm.status = SandboxStatus.SANDBOX_STATUS_PAUSED;
        if (snapshotFailure != null) {
            throw snapshotFailure;
        }
        if (snapshots.containsKey(name)) {
            if (!replace) {
                throw new ApiException(ErrorCode.ALREADY_EXISTS, "CreateSnapshot template " + name + " exists");
            }
            refuseWhileDependedOn("CreateSnapshot", name);
        }
        snapshots.put(name, Map.copyOf(vm.files));
        snapshotMadeAt.put(name, Instant.now());
        return CreateSnapshotResponse.newBuilder()
                .setName(name)
                .setSizeBytes(1024L * (vm.files.size() + 1))
                .build();
    }

    /** Refused while a VM booted from it exists, as the real agent refuses (their disks build on its files). */
    @Override
    public void deleteSnapshot(String name) {
        refuseWhileDependedOn("DeleteSnapshot", name);
        snapshots.remove(name);
        snapshotMadeAt.remove(name);
    }

    private void refuseWhileDependedOn(String call, String name) {
        List<String> dependents = vms.entrySet().stream()
                .filter(e -> e.getValue().request.getTemplate().equals(name))
                .map(Map.Entry::getKey)
                .toList();
        if (!dependents.isEmpty()) {
            throw new ApiException(
                    ErrorCode.CONFLICT, call + " template " + name + ": " + dependents + " depend on it");
        }
    }

    @Override
    public List<HostTemplate> listTemplates() {
        return snapshots.keySet().stream()
                .map(name -> new HostTemplate(name, snapshotMadeAt.getOrDefault(name, Instant.EPOCH)))
                .toList();
    }

    /** The VM's QEMU died: the agent keeps listing it as stopped, with the reason. */
    public void vmDies(String sandboxId, String reason) {
        Vm vm = vm(sandboxId);
        vm.stopReason = reason;
        vm.status = SandboxStatus.SANDBOX_STATUS_STOPPED;
    }

    /** The agent's inactivity reaper paused the VM. */
    public void reaperPauses(String sandboxId) {
        vm(sandboxId).status = SandboxStatus.SANDBOX_STATUS_PAUSED;
        autoPaused.add(sandboxId);
    }

    public Vm vm(String sandboxId) {
        Vm vm = vms.get(sandboxId);
        if (vm == null) {
            throw notFound("sandbox " + sandboxId);
        }
        return vm;
    }

    public String fileText(String sandboxId, String path) {
        return new String(vm(sandboxId).files.get(path), StandardCharsets.UTF_8);
    }

    private String nextHostIp() {
        return hostIpForNewVms != null ? hostIpForNewVms : "10.11.0." + slots.incrementAndGet();
    }

    private void awaitGate() {
        CountDownLatch gate = createGate;
        if (gate != null) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static ExecStreamResponse blockUntil(CountDownLatch closed) {
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new ApiException(ErrorCode.AGENT_ERROR, "ExecStream: CANCELLED");
    }

    private static ExecStreamResponse data(ExecData.Builder data) {
        return ExecStreamResponse.newBuilder().setData(data).build();
    }

    private static ApiException notFound(String what) {
        return new ApiException(ErrorCode.NOT_FOUND, what + " not found");
    }
}
