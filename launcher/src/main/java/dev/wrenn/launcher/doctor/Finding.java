package dev.wrenn.launcher.doctor;

/**
 * One result of a host check: what was found, what it means for Wrenn, and what to do about it.
 *
 * @param topic a short name (e.g. {@code kvm}, {@code port 8080})
 * @param meaning what was found and what it means for sandboxes
 * @param fix what to do; empty when nothing needs doing
 */
public record Finding(String topic, Severity severity, String meaning, String fix) {

    /** OK: nothing to do. WARN: Wrenn runs, with the consequence said. FAIL: Wrenn cannot run until fixed. */
    public enum Severity {
        OK,
        WARN,
        FAIL
    }

    public static Finding ok(String topic, String meaning) {
        return new Finding(topic, Severity.OK, meaning, "");
    }

    public static Finding warn(String topic, String meaning, String fix) {
        return new Finding(topic, Severity.WARN, meaning, fix);
    }

    public static Finding fail(String topic, String meaning, String fix) {
        return new Finding(topic, Severity.FAIL, meaning, fix);
    }

    public boolean failed() {
        return severity == Severity.FAIL;
    }

    /** The finding as the doctor prints it: a status line, then the fix indented under it. */
    public String render() {
        String label = switch (severity) {
            case OK -> "ok  ";
            case WARN -> "WARN";
            case FAIL -> "FAIL";
        };
        String text = "  " + label + "  " + topic + ": " + meaning;
        return fix.isEmpty() ? text : text + "\n        do: " + fix;
    }
}
