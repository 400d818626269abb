package dev.wrenn.control.auth;

/** What a valid user token says: who is calling and for which team. */
public record UserClaims(String userId, String teamId, String email) {}
