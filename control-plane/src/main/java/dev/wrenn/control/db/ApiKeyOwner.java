package dev.wrenn.control.db;

/** Whom a presented API key belongs to. */
public record ApiKeyOwner(String keyId, String teamId) {}
