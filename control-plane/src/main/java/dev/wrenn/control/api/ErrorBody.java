package dev.wrenn.control.api;

/** {@code {"error":{"code":"not_found","message":"sandbox sb-1a2b3c4d not found"}}} */
public record ErrorBody(Detail error) {
    public record Detail(String code, String message) {}
}
