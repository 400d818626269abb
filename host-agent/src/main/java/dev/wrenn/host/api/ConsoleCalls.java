package dev.wrenn.host.api;

import dev.wrenn.host.guest.EnvdClient;
import dev.wrenn.host.guest.EnvdClients;
import dev.wrenn.host.guest.GuestMetrics;
import dev.wrenn.host.sandbox.SandboxManager;
import dev.wrenn.protocol.envd.filesystem.EntryInfo;
import dev.wrenn.protocol.hostagent.v1.DirEntry;
import dev.wrenn.protocol.hostagent.v1.EntryType;
import dev.wrenn.protocol.hostagent.v1.GetMetricsRequest;
import dev.wrenn.protocol.hostagent.v1.GetMetricsResponse;
import dev.wrenn.protocol.hostagent.v1.ListDirRequest;
import dev.wrenn.protocol.hostagent.v1.ListDirResponse;

/** ListDir and GetMetrics, which the web console's file browser and charts read through the control plane. */
final class ConsoleCalls {
    private static final int MAX_DEPTH = 10;

    private final SandboxManager manager;
    private final EnvdClients clients;

    ConsoleCalls(SandboxManager manager, EnvdClients clients) {
        this.manager = manager;
        this.clients = clients;
    }

    ListDirResponse listDir(ListDirRequest request) {
        String operation = "list " + request.getPath() + " in sandbox " + request.getSandboxId();
        Requests.requireSandboxId(request.getSandboxId(), operation);
        Requests.require(request.getPath().indexOf('\0') < 0, operation, "path contains a NUL byte");
        Requests.require(request.getDepth() <= MAX_DEPTH, operation, "depth must be at most " + MAX_DEPTH);
        EnvdClient envd = clients.forGuest(manager.guest(request.getSandboxId()));
        int depth = request.getDepth() == 0 ? 1 : request.getDepth();
        ListDirResponse.Builder response = ListDirResponse.newBuilder();
        for (EntryInfo entry : envd.listDir(request.getPath(), depth, request.getUser())) {
            response.addEntries(entry(entry));
        }
        return response.build();
    }

    GetMetricsResponse metrics(GetMetricsRequest request) {
        Requests.requireSandboxId(request.getSandboxId(), "read metrics of sandbox " + request.getSandboxId());
        String id = request.getSandboxId();
        GuestMetrics sample = clients.forGuest(request.getPassive() ? manager.guestQuietly(id) : manager.guest(id))
                .metrics();
        return GetMetricsResponse.newBuilder()
                .setTimestampUnixMs(sample.at().toEpochMilli())
                .setCpuCount(sample.cpuCount())
                .setCpuUsedPct(sample.cpuUsedPct())
                .setMemUsedBytes(sample.memUsed())
                .setMemTotalBytes(sample.memTotal())
                .setMemCacheBytes(sample.memCache())
                .setDiskUsedBytes(sample.diskUsed())
                .setDiskTotalBytes(sample.diskTotal())
                .build();
    }

    static DirEntry entry(EntryInfo entry) {
        return DirEntry.newBuilder()
                .setName(entry.getName())
                .setPath(entry.getPath())
                .setType(type(entry))
                .setSize(entry.getSize())
                .setPermissions(entry.getPermissions())
                .setModifiedUnixMs(millis(entry))
                .setSymlinkTarget(entry.getSymlinkTarget())
                .build();
    }

    private static long millis(EntryInfo entry) {
        if (!entry.hasModifiedTime()) {
            return 0;
        }
        return entry.getModifiedTime().getSeconds() * 1000
                + entry.getModifiedTime().getNanos() / 1_000_000;
    }

    /** The guest reports a symlink as its target's type plus the target; the console wants to see the link. */
    private static EntryType type(EntryInfo entry) {
        if (entry.hasSymlinkTarget() && !entry.getSymlinkTarget().isEmpty()) {
            return EntryType.ENTRY_TYPE_SYMLINK;
        }
        return switch (entry.getType()) {
            case FILE_TYPE_FILE -> EntryType.ENTRY_TYPE_FILE;
            case FILE_TYPE_DIRECTORY -> EntryType.ENTRY_TYPE_DIRECTORY;
            case FILE_TYPE_SYMLINK -> EntryType.ENTRY_TYPE_SYMLINK;
            case FILE_TYPE_UNSPECIFIED, UNRECOGNIZED -> EntryType.ENTRY_TYPE_UNSPECIFIED;
        };
    }
}
