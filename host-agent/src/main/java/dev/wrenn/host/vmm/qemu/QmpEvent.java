package dev.wrenn.host.vmm.qemu;

import com.fasterxml.jackson.databind.JsonNode;

/** An asynchronous QMP event such as STOP, RESUME, SHUTDOWN or MIGRATION. */
public record QmpEvent(String name, JsonNode data) {}
