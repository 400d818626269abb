package dev.wrenn.control.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** One generated request: what is sent, and a readable form for the failure message and jqwik's shrinking report. */
record FuzzRequest(String method, String path, byte[] body, String contentType, List<String> headers) {
    @Override
    public String toString() {
        String shown = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        if (shown.length() > 300) {
            shown = shown.substring(0, 300) + "…(" + body.length + " bytes)";
        }
        String where = path.length() > 300 ? path.substring(0, 300) + "…" : path;
        return method + " " + where + " " + headers + (body == null ? "" : " body=" + shown);
    }
}
