package dev.wrenn.guest.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RoutingAndCorsTest extends GuestServerFixture {

    @Test
    void healthAnswersNoContentThatMustNotBeCached() throws Exception {
        HttpResponse<String> response = get("/health");

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(response.body()).isEmpty();
    }

    @Test
    void anUnknownRouteIsAJson404() throws Exception {
        HttpResponse<String> response = get("/nope");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).startsWith("{\"code\":404,\"message\":\"").contains("/nope");
    }

    @Test
    void aPathThatOnlyStartsLikeARouteIsNotThatRoute() throws Exception {
        assertThat(get("/healthz").statusCode()).isEqualTo(404);
        assertThat(get("/files/x").statusCode()).isEqualTo(404);
    }

    @Test
    void aWrongMethodIsAJson405ListingTheAllowedOnes() throws Exception {
        HttpResponse<String> response =
                client.send(request("/health").DELETE().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("GET");
        assertThat(response.body()).startsWith("{\"code\":405,");
    }

    @Test
    void everyResponseAllowsAnyOriginAndExposesConnectHeaders() throws Exception {
        HttpResponse<String> response = get("/health", "Origin", "https://app.example");

        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(response.headers().firstValue("Access-Control-Expose-Headers"))
                .hasValueSatisfying(v -> assertThat(v).contains("Connect-Protocol-Version", "Grpc-Status"));
    }

    @Test
    void aPreflightIsAnsweredWithoutAnAccessToken() throws Exception {
        init("{\"accessToken\":\"secret\"}");

        HttpResponse<String> response = client.send(
                request(
                                "/process.Process/Start",
                                "Origin",
                                "https://app.example",
                                "Access-Control-Request-Method",
                                "POST",
                                "Access-Control-Request-Headers",
                                "content-type,x-access-token")
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(response.headers().firstValue("Access-Control-Allow-Headers"))
                .hasValue("content-type,x-access-token");
        assertThat(response.headers().firstValue("Access-Control-Allow-Methods"))
                .hasValueSatisfying(v -> assertThat(v).contains("POST"));
    }

    @Test
    void aMountedHandlerGetsCorsAndTheAccessTokenCheck() throws Exception {
        server.mount("/process.Process/", exchange -> {
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        init("{\"accessToken\":\"secret\"}");

        HttpResponse<String> without = post("/process.Process/List", "{}".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> with =
                post("/process.Process/List", "{}".getBytes(StandardCharsets.UTF_8), "X-Access-Token", "secret");

        assertThat(without.statusCode()).isEqualTo(401);
        assertThat(with.statusCode()).isEqualTo(200);
        assertThat(with.body()).isEqualTo("{}");
        assertThat(with.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    }
}
