package dev.wrenn.control.api;

import dev.wrenn.control.auth.ApiKeyFormat;
import dev.wrenn.control.db.ApiKey;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.service.ApiKeyService;
import dev.wrenn.control.service.CreatedApiKey;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;

/** A team's API keys; managed with a user token only, so a leaked key cannot mint more keys. */
final class ApiKeyRoutes {
    private final ApiKeyService apiKeys;
    private final Authenticator auth;

    ApiKeyRoutes(ApiKeyService apiKeys, Authenticator auth) {
        this.apiKeys = apiKeys;
        this.auth = auth;
    }

    void register(RoutesConfig routes) {
        routes.post("/v1/api-keys", auth.jwt(this::create));
        routes.get("/v1/api-keys", auth.jwt(this::list));
        routes.delete("/v1/api-keys/{id}", auth.jwt(this::delete));
    }

    private void create(Context ctx, Principal caller) {
        CreateRequest body = JsonBodies.readOptional(ctx, CreateRequest.class, new CreateRequest(null, null));
        CreatedApiKey created = apiKeys.create(caller.teamId(), caller.userId(), body.name(), kind(body.format()));
        ctx.status(201).json(KeyView.of(created.key(), created.plaintext()));
    }

    private void list(Context ctx, Principal caller) {
        ctx.json(apiKeys.list(caller.teamId()).stream()
                .map(key -> KeyView.of(key, null))
                .toList());
    }

    private void delete(Context ctx, Principal caller) {
        apiKeys.delete(caller.teamId(), ctx.pathParam("id"));
        ctx.status(204);
    }

    /** {@code format}: {@code wrenn} (default, {@code wrn_…}) or {@code e2b} ({@code e2b_…}, for E2B's SDKs). */
    record CreateRequest(String name, String format) {}

    private static ApiKeyFormat.Kind kind(String format) {
        if (format == null || format.equals("wrenn")) {
            return ApiKeyFormat.Kind.WRENN;
        }
        if (format.equals("e2b")) {
            return ApiKeyFormat.Kind.E2B;
        }
        throw ApiException.invalid("format must be 'wrenn' or 'e2b' (got '" + format + "')");
    }

    /** An API key as the API shows it; {@code key} only in the answer to its creation. */
    record KeyView(
            String id,
            String teamId,
            String name,
            String keyPrefix,
            String createdBy,
            String creatorEmail,
            Instant createdAt,
            Instant lastUsed,
            String key) {

        static KeyView of(ApiKey key, String plaintext) {
            return new KeyView(
                    key.id(),
                    key.teamId(),
                    key.name(),
                    key.keyPrefix(),
                    key.createdBy(),
                    key.creatorEmail(),
                    key.createdAt(),
                    key.lastUsed(),
                    plaintext);
        }
    }
}
