package dev.wrenn.host.sandbox;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.host.net.EgressPolicy;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * What a caller asks for. Zero and empty values take the original system's defaults: a generated {@code sb-<hex8>}
 * id, template {@code base}, 1 vCPU, 512 MiB. {@code envVars} reach every process in the guest (through /init).
 */
public record SandboxRequest(
        String sandboxId,
        String template,
        int vcpus,
        int memoryMb,
        int timeoutSec,
        Map<String, String> envVars,
        EgressPolicy egress) {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ENV_NAME = "[A-Za-z_][A-Za-z0-9_]*";
    private static final String SAFE_NAME = "[a-zA-Z0-9][a-zA-Z0-9._-]{0,63}";

    public SandboxRequest {
        sandboxId = sandboxId == null || sandboxId.isEmpty() ? newId() : sandboxId;
        template = template == null || template.isEmpty() ? "base" : template;
        vcpus = vcpus == 0 ? 1 : vcpus;
        memoryMb = memoryMb == 0 ? 512 : memoryMb;
        require(sandboxId.matches(SAFE_NAME), "sandbox id `%s` is not a safe name".formatted(sandboxId));
        require(template.matches(SAFE_NAME), "template `%s` is not a safe name".formatted(template));
        require(vcpus >= 1 && vcpus <= 64, "vcpus must be in 1..64, got " + vcpus);
        require(memoryMb >= 64 && memoryMb <= 65_536, "memory_mb must be in 64..65536, got " + memoryMb);
        require(timeoutSec >= 0, "timeout_sec must not be negative, got " + timeoutSec);
        envVars = envVars == null ? Map.of() : Map.copyOf(envVars);
        egress = egress == null ? EgressPolicy.UNSET : egress;
        envVars.keySet()
                .forEach(name -> require(
                        name.matches(ENV_NAME), "env var name `%s` is not a valid variable name".formatted(name)));
    }

    public SandboxRequest(
            String sandboxId, String template, int vcpus, int memoryMb, int timeoutSec, Map<String, String> envVars) {
        this(sandboxId, template, vcpus, memoryMb, timeoutSec, envVars, EgressPolicy.UNSET);
    }

    public SandboxRequest(String sandboxId, String template, int vcpus, int memoryMb, int timeoutSec) {
        this(sandboxId, template, vcpus, memoryMb, timeoutSec, Map.of());
    }

    public static SandboxRequest defaults() {
        return new SandboxRequest(null, null, 0, 0, 0);
    }

    private static String newId() {
        byte[] bytes = new byte[4];
        RANDOM.nextBytes(bytes);
        return "sb-" + HexFormat.of().formatHex(bytes);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new HostAgentException(ErrorCode.INVALID_ARGUMENT, "creating sandbox: " + message);
        }
    }
}
