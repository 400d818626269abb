package dev.wrenn.host.vmm;

import java.util.Locale;

/** The operator's choice of accelerator: {@code auto} probes KVM once and falls back to TCG. */
public enum AccelMode {
    AUTO,
    KVM,
    TCG;

    public static AccelMode parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("accel must be auto, kvm or tcg, not `" + text + "`", e);
        }
    }
}
