package dev.wrenn.control.db;

import java.util.Locale;

/** A base image shipped with the host, or a snapshot a team froze from one of its sandboxes. */
public enum TemplateType {
    BASE,
    SNAPSHOT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TemplateType fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
