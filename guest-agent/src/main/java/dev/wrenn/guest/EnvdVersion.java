package dev.wrenn.guest;

/**
 * The envd version the guest agent reports (X-Envd-Version on /init, envdVersion in the control plane). The SDKs
 * gate features on it (file metadata needs 0.6.2, watch options 0.6.4), so it names the envd release whose wire
 * contract the agent implements.
 */
public final class EnvdVersion {
    public static final String VALUE = "0.6.13";

    private EnvdVersion() {}
}
