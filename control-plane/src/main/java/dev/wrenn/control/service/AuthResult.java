package dev.wrenn.control.service;

/** A signed-in user: the token to send as {@code Authorization: Bearer}, and whom it is for. */
public record AuthResult(String token, String userId, String teamId, String email) {}
