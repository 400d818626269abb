package dev.wrenn.control.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.error.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import org.junit.jupiter.api.Test;

class JwtServiceTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void aTokenCarriesTheUserTeamAndEmailAndExpiresAfterSixHours() throws Exception {
        String token = at(T0).issue("usr-00000001", "team-00000001", "ada@example.com");

        JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();
        assertThat(at(T0.plus(Duration.ofHours(6)).minusSeconds(1)).verify(token))
                .isEqualTo(new UserClaims(
                        "usr-00000001",
                        "team-00000001",
                        "ada@example.com",
                        claims.getJWTID(),
                        0,
                        T0.plus(Duration.ofHours(6))));
        assertThat(claims.getJWTID()).hasSize(32);
        assertThat(at(T0).issue("usr-00000001", "team-00000001", "ada@example.com"))
                .as("every token has its own id, so a logout revokes one token")
                .isNotEqualTo(token);
        assertThat(claims.getIssueTime().toInstant()).isEqualTo(T0);
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(T0.plus(Duration.ofHours(6)));
        assertThat(SignedJWT.parse(token).getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
        assertUnauthorized(() -> at(T0.plus(Duration.ofHours(6))).verify(token));
    }

    @Test
    void hostTokensAndTokensWithoutATeamAreRefused() throws Exception {
        assertUnauthorized(() -> at(T0).verify(sign(new JWTClaimsSet.Builder()
                .subject("host-00000001")
                .claim("typ", "host")
                .claim("team_id", "team-00000001")
                .expirationTime(Date.from(T0.plusSeconds(60)))
                .build())));
        assertUnauthorized(() -> at(T0).verify(sign(new JWTClaimsSet.Builder()
                .subject("usr-00000001")
                .expirationTime(Date.from(T0.plusSeconds(60)))
                .build())));
        assertUnauthorized(() -> at(T0).verify(sign(new JWTClaimsSet.Builder()
                .subject("usr-00000001")
                .claim("team_id", "team-00000001")
                .build())));
    }

    @Test
    void tokensWithoutAnIdOrAGenerationAndRevokedTokensAreRefused() throws Exception {
        assertUnauthorized(() -> at(T0).verify(sign(new JWTClaimsSet.Builder()
                .subject("usr-00000001")
                .claim("team_id", "team-00000001")
                .claim("gen", 0)
                .expirationTime(Date.from(T0.plusSeconds(60)))
                .build())));
        assertUnauthorized(() -> at(T0).verify(sign(new JWTClaimsSet.Builder()
                .subject("usr-00000001")
                .claim("team_id", "team-00000001")
                .jwtID("0123")
                .expirationTime(Date.from(T0.plusSeconds(60)))
                .build())));
        JwtService revokingAll = new JwtService(SECRET, Clock.fixed(T0, ZoneOffset.UTC), new TokenRevocations() {
            @Override
            public long generation(String userId) {
                return 3;
            }

            @Override
            public boolean isRevoked(UserClaims claims) {
                return claims.generation() == 3;
            }
        });
        assertUnauthorized(() -> revokingAll.verify(revokingAll.issue("usr-1", "team-1", "e")));
    }

    @Test
    void garbageIsRefusedWithTheSameMessage() {
        assertUnauthorized(() -> at(T0).verify(""));
        assertUnauthorized(() -> at(T0).verify("a.b.c"));
        assertUnauthorized(() -> new JwtService("another-secret-another-secret-000", Clock.fixed(T0, ZoneOffset.UTC))
                .verify(at(T0).issue("usr-1", "team-1", "e")));
    }

    private static String sign(JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private static JwtService at(Instant now) {
        return new JwtService(SECRET, Clock.fixed(now, ZoneOffset.UTC));
    }

    private static void assertUnauthorized(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED))
                .hasMessage("invalid or expired token");
    }
}
