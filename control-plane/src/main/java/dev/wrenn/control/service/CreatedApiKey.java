package dev.wrenn.control.service;

import dev.wrenn.control.db.ApiKey;

/** A key just created: its record and the plaintext, which is shown this once. */
public record CreatedApiKey(ApiKey key, String plaintext) {
    @Override
    public String toString() {
        return "CreatedApiKey[" + key + "]";
    }
}
