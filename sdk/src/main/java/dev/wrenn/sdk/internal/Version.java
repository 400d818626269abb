package dev.wrenn.sdk.internal;

/** The SDK's version, sent in {@code User-Agent}. Not part of the public API. */
public final class Version {
    /** The version of this SDK. */
    public static final String VERSION = "0.1.0";

    private Version() {}
}
