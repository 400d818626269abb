package dev.wrenn.host.api;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.host.net.Cidr;
import dev.wrenn.host.net.EgressPolicy;
import dev.wrenn.host.sandbox.SandboxRequest;
import dev.wrenn.host.sandbox.SandboxSummary;
import dev.wrenn.host.sandbox.TemplateInfo;
import dev.wrenn.host.sandbox.VmState;
import dev.wrenn.protocol.hostagent.v1.CreateSandboxRequest;
import dev.wrenn.protocol.hostagent.v1.EgressRules;
import dev.wrenn.protocol.hostagent.v1.ListSnapshotsResponse;
import dev.wrenn.protocol.hostagent.v1.SandboxInfo;
import dev.wrenn.protocol.hostagent.v1.SandboxStatus;
import dev.wrenn.protocol.hostagent.v1.SnapshotInfo;
import java.util.List;

/** Between the wire messages and the sandbox layer's records. */
final class ProtoMapping {
    private ProtoMapping() {}

    static SandboxRequest request(CreateSandboxRequest request) {
        return new SandboxRequest(
                request.getSandboxId(),
                request.getTemplate(),
                request.getVcpus(),
                request.getMemoryMb(),
                request.getTimeoutSec(),
                request.getEnvVarsMap(),
                request.hasEgress() ? egress(request.getEgress()) : EgressPolicy.UNSET);
    }

    /** INVALID_ARGUMENT naming the entry when an address is not an IPv4 address or CIDR. */
    static EgressPolicy egress(EgressRules rules) {
        try {
            return new EgressPolicy(
                    rules.hasAllowInternet() ? rules.getAllowInternet() : null,
                    rules.getAllowOutList().stream().map(Cidr::parse).toList(),
                    rules.getDenyOutList().stream().map(Cidr::parse).toList());
        } catch (IllegalArgumentException e) {
            throw new HostAgentException(ErrorCode.INVALID_ARGUMENT, "egress rules: " + e.getMessage());
        }
    }

    static EgressRules egress(EgressPolicy policy) {
        EgressRules.Builder rules = EgressRules.newBuilder()
                .addAllAllowOut(policy.allowOut().stream().map(Cidr::toString).toList())
                .addAllDenyOut(policy.denyOut().stream().map(Cidr::toString).toList());
        if (policy.allowInternet() != null) {
            rules.setAllowInternet(policy.allowInternet());
        }
        return rules.build();
    }

    static ListSnapshotsResponse snapshots(List<TemplateInfo> templates) {
        ListSnapshotsResponse.Builder response = ListSnapshotsResponse.newBuilder();
        for (TemplateInfo template : templates) {
            response.addSnapshots(SnapshotInfo.newBuilder()
                    .setName(template.name())
                    .setCreatedAtUnixMs(template.createdAt().toEpochMilli())
                    .setSourceSandboxId(template.sourceSandboxId() == null ? "" : template.sourceSandboxId()));
        }
        return response.build();
    }

    static SandboxInfo info(SandboxSummary sandbox) {
        return SandboxInfo.newBuilder()
                .setSandboxId(sandbox.sandboxId())
                .setStatus(status(sandbox.state()))
                .setTemplate(sandbox.template())
                .setVcpus(sandbox.vcpus())
                .setMemoryMb(sandbox.memoryMb())
                .setHostIp(hostIp(sandbox))
                .setCreatedAtUnix(sandbox.createdAt().getEpochSecond())
                .setLastActiveAtUnix(sandbox.lastActiveAt().getEpochSecond())
                .setTimeoutSec(sandbox.timeoutSec())
                .setStopReason(sandbox.stopReason())
                .setEnvdAccessToken(sandbox.envdAccessToken())
                .setEgress(egress(sandbox.egress()))
                .build();
    }

    /** Empty while the sandbox has no VM (paused, stopped): a resume may put it behind another address. */
    static String hostIp(SandboxSummary sandbox) {
        return sandbox.hostIp() == null ? "" : sandbox.hostIp().toString();
    }

    static SandboxStatus status(VmState state) {
        return switch (state) {
            case STARTING -> SandboxStatus.SANDBOX_STATUS_STARTING;
            case RUNNING -> SandboxStatus.SANDBOX_STATUS_RUNNING;
            case PAUSING -> SandboxStatus.SANDBOX_STATUS_PAUSING;
            case PAUSED -> SandboxStatus.SANDBOX_STATUS_PAUSED;
            case RESUMING -> SandboxStatus.SANDBOX_STATUS_RESUMING;
            case STOPPING -> SandboxStatus.SANDBOX_STATUS_STOPPING;
            case STOPPED -> SandboxStatus.SANDBOX_STATUS_STOPPED;
            case FAILED -> SandboxStatus.SANDBOX_STATUS_FAILED;
        };
    }
}
