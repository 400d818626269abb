package dev.wrenn.guest.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class AccessTokenTest extends GuestServerFixture {

    @Test
    void withoutATokenEveryRouteIsOpen() throws Exception {
        assertThat(get("/envs").statusCode()).isEqualTo(200);
    }

    @Test
    void onceATokenIsSetProtectedRoutesAnswer401WithoutIt() throws Exception {
        init("{\"accessToken\":\"secret\"}");

        HttpResponse<String> response = get("/envs");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body())
                .isEqualTo("{\"code\":401,\"message\":\"unauthorized access, please provide a valid access token\"}");
    }

    @Test
    void aWrongTokenIsRejectedAndTheRightOneAccepted() throws Exception {
        init("{\"accessToken\":\"secret\"}");

        assertThat(get("/envs", "X-Access-Token", "guess").statusCode()).isEqualTo(401);
        assertThat(get("/envs", "X-Access-Token", "secret").statusCode()).isEqualTo(200);
        assertThat(get("/metrics", "X-Access-Token", "secret").statusCode()).isEqualTo(200);
    }

    @Test
    void healthStaysPublic() throws Exception {
        init("{\"accessToken\":\"secret\"}");

        assertThat(get("/health").statusCode()).isEqualTo(204);
    }

    @Test
    void aLaterInitWithoutTheTokenIsRejectedAndChangesNothing() throws Exception {
        init("{\"accessToken\":\"secret\"}");

        HttpResponse<String> response = postJson("/init", "{\"accessToken\":\"mine\",\"envVars\":{\"A\":\"1\"}}");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(state.accessToken()).hasValue("secret");
        assertThat(state.envVars()).doesNotContainKey("A");
    }

    @Test
    void aLaterInitWithTheTokenInTheHeaderMayRotateIt() throws Exception {
        init("{\"accessToken\":\"secret\"}");

        init("{\"accessToken\":\"rotated\"}", "X-Access-Token", "secret");

        assertThat(get("/envs", "X-Access-Token", "rotated").statusCode()).isEqualTo(200);
        assertThat(get("/envs", "X-Access-Token", "secret").statusCode()).isEqualTo(401);
    }

    @Test
    void aLaterInitRepeatingTheSameTokenInTheBodyIsAccepted() throws Exception {
        init("{\"accessToken\":\"secret\"}");

        init("{\"accessToken\":\"secret\",\"envVars\":{\"RESUMED\":\"yes\"}}");

        assertThat(state.envVars()).containsEntry("RESUMED", "yes");
    }
}
