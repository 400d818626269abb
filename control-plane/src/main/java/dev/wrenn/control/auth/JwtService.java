package dev.wrenn.control.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.wrenn.control.error.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;

/**
 * User tokens: HS256 JWTs with {@code sub} (user id), {@code team_id}, {@code email}, {@code iat}, {@code exp}, a
 * random {@code jti} and {@code gen} (the account's token generation), valid for six hours. Tokens of type
 * {@code host} (host agents' tokens share the secret in the original system) are refused here, and so are tokens
 * without a {@code jti} (made before tokens could be revoked) and tokens {@link TokenRevocations} says were revoked.
 */
public final class JwtService {
    public static final Duration LIFETIME = Duration.ofHours(6);
    public static final String INVALID_TOKEN = "invalid or expired token";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] secret;
    private final Clock clock;
    private final TokenRevocations revocations;

    public JwtService(String secret, Clock clock) {
        this(secret, clock, TokenRevocations.NONE);
    }

    public JwtService(String secret, Clock clock, TokenRevocations revocations) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
        this.revocations = revocations;
    }

    /** A new token of the account's current generation. */
    public String issue(String userId, String teamId, String email) {
        long generation = revocations.generation(userId);
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(userId)
                .claim("team_id", teamId)
                .claim("email", email)
                .claim("gen", generation)
                .jwtID(newTokenId())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(LIFETIME)))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(new MACSigner(secret));
        } catch (JOSEException e) {
            throw ApiException.internal("signing a token for user " + userId, e);
        }
        return jwt.serialize();
    }

    /** @throws ApiException unauthorized, with one message for every kind of bad token */
    public UserClaims verify(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(new MACVerifier(secret))) {
                throw invalid();
            }
            UserClaims claims = claims(jwt.getJWTClaimsSet());
            if (revocations.isRevoked(claims)) {
                throw invalid();
            }
            return claims;
        } catch (ParseException | JOSEException e) {
            throw invalid();
        }
    }

    private UserClaims claims(JWTClaimsSet claims) throws ParseException {
        Date expires = claims.getExpirationTime();
        if (expires == null
                || !clock.instant().isBefore(expires.toInstant())
                || "host".equals(claims.getClaim("typ"))) {
            throw invalid();
        }
        String userId = claims.getSubject();
        String teamId = claims.getStringClaim("team_id");
        String tokenId = claims.getJWTID();
        Long generation = claims.getLongClaim("gen");
        if (userId == null || teamId == null || tokenId == null || generation == null) {
            throw invalid();
        }
        return new UserClaims(userId, teamId, claims.getStringClaim("email"), tokenId, generation, expires.toInstant());
    }

    private static String newTokenId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static ApiException invalid() {
        return ApiException.unauthorized(INVALID_TOKEN);
    }
}
