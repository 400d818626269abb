package dev.wrenn.control.service;

import dev.wrenn.control.audit.AuditActions;
import dev.wrenn.control.audit.AuditTrail;
import dev.wrenn.control.auth.ApiKeyFormat;
import dev.wrenn.control.db.ApiKey;
import dev.wrenn.control.db.ApiKeyOwner;
import dev.wrenn.control.db.ApiKeyRepository;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.ids.Ids;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creating, listing and deleting a team's API keys, and recognising a presented key. */
public final class ApiKeyService {
    public static final String DEFAULT_NAME = "Unnamed API Key";
    static final int MAX_NAME_LENGTH = 200;
    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyService.class);

    private final ApiKeyRepository keys;
    private final Clock clock;
    private final AuditTrail audit;

    public ApiKeyService(ApiKeyRepository keys, Clock clock) {
        this(keys, clock, AuditTrail.NONE);
    }

    public ApiKeyService(ApiKeyRepository keys, Clock clock, AuditTrail audit) {
        this.keys = keys;
        this.clock = clock;
        this.audit = audit;
    }

    public CreatedApiKey create(String teamId, String userId, String nameOrNull) {
        return create(teamId, userId, nameOrNull, ApiKeyFormat.Kind.WRENN);
    }

    public CreatedApiKey create(String teamId, String userId, String nameOrNull, ApiKeyFormat.Kind kind) {
        String name = nameOrNull == null || nameOrNull.isBlank() ? DEFAULT_NAME : nameOrNull.strip();
        if (name.length() > MAX_NAME_LENGTH) {
            throw ApiException.invalid("API key name must be at most " + MAX_NAME_LENGTH + " characters");
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.invalid("API key name must not contain control characters");
        }
        ApiKeyFormat.NewApiKey generated = ApiKeyFormat.generate(kind);
        ApiKey key = new ApiKey(Ids.apiKey(), teamId, name, generated.prefix(), userId, null, clock.instant(), null);
        // The audit line names the key by id and shown prefix; the secret never leaves this method but in the answer.
        keys.insert(
                key,
                generated.hash(),
                audit.entry(
                        teamId,
                        AuditActions.API_KEY_CREATED,
                        key.id(),
                        Map.of("name", name, "prefix", generated.prefix())));
        ApiKey stored = keys.find(teamId, key.id()).orElse(key);
        return new CreatedApiKey(stored, generated.plaintext());
    }

    public List<ApiKey> list(String teamId) {
        return keys.listForTeam(teamId);
    }

    /** @throws ApiException not_found if the team has no such key (another team's key included) */
    public void delete(String teamId, String id) {
        if (!keys.delete(teamId, id, audit.entry(teamId, AuditActions.API_KEY_DELETED, id, Map.of()))) {
            throw ApiException.notFound("API key " + id + " not found");
        }
    }

    /** The owner of a presented key, if it is one; records its use best-effort. */
    public Optional<ApiKeyOwner> authenticate(String presented) {
        if (!ApiKeyFormat.isWellFormed(presented)) {
            return Optional.empty();
        }
        Optional<ApiKeyOwner> owner = keys.findOwnerByHash(ApiKeyFormat.hash(presented));
        owner.ifPresent(this::markUsed);
        return owner;
    }

    private void markUsed(ApiKeyOwner owner) {
        try {
            keys.markUsed(owner.keyId(), clock.instant());
        } catch (RuntimeException e) {
            // last_used is informational: a busy database must not turn a valid key into a failed request.
            LOG.warn("recording the use of API key {} failed: {}", owner.keyId(), e.getMessage());
        }
    }
}
