package dev.wrenn.control.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeyFormatTest {

    @Test
    void aGeneratedKeyIsWrnAnd32HexWithItsShaAndTenCharacterPrefix() {
        ApiKeyFormat.NewApiKey key = ApiKeyFormat.generate();

        assertThat(key.plaintext()).matches("wrn_[0-9a-f]{32}");
        assertThat(key.prefix()).isEqualTo(key.plaintext().substring(0, 10));
        assertThat(key.hash()).isEqualTo(ApiKeyFormat.hash(key.plaintext())).matches("[0-9a-f]{64}");
        assertThat(ApiKeyFormat.isWellFormed(key.plaintext())).isTrue();
        assertThat(key.toString()).doesNotContain(key.plaintext());
    }

    @Test
    void theHashIsTheSha256OfTheWholeKey() {
        // SHA-256 of "abc", the test vector of FIPS 180-2
        assertThat(ApiKeyFormat.hash("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void keysAreNotRepeated() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            keys.add(ApiKeyFormat.generate().plaintext());
        }
        assertThat(keys).hasSize(1000);
    }

    @Test
    void anythingElseIsNotAKey() {
        for (String notAKey : new String[] {
            null,
            "",
            "wrn_",
            "wrn_0123456789abcdef0123456789ABCDEF",
            "wrn_0123456789abcdef0123456789abcde",
            "wrn_0123456789abcdef0123456789abcdef0",
            "key_0123456789abcdef0123456789abcdef",
            " wrn_0123456789abcdef0123456789abcdef"
        }) {
            assertThat(ApiKeyFormat.isWellFormed(notAKey))
                    .as(String.valueOf(notAKey))
                    .isFalse();
        }
    }
}
