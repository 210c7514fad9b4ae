package dev.turbofarm.common.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeySecretsTest {

  @Test
  void generatedKeysAreWellFormedDistinctAndPrefixed() {
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String k = ApiKeySecrets.generate();
      assertThat(k).startsWith("tf_").hasSize(3 + 43);
      assertThat(ApiKeySecrets.wellFormed(k)).isTrue();
      assertThat(ApiKeySecrets.isApiKey(k)).isTrue();
      keys.add(k);
    }
    assertThat(keys).hasSize(1000);
  }

  @Test
  void hashIsHexSha256OfTheWholeKey() {
    // SHA-256("tf_abc"), computed independently (sha256sum).
    assertThat(ApiKeySecrets.hash("tf_abc"))
        .isEqualTo("7025e4f82f2533fa7f9edd14aa906255f11823b78314bff9d044c88357d65883");
    assertThat(ApiKeySecrets.hash("tf_abd")).isNotEqualTo(ApiKeySecrets.hash("tf_abc"));
  }

  @Test
  void shortOrForeignTokensAreNotWellFormed() {
    assertThat(ApiKeySecrets.wellFormed("tf_short")).isFalse();
    assertThat(ApiKeySecrets.wellFormed("tf_" + "a".repeat(31))).isFalse();
    assertThat(ApiKeySecrets.wellFormed("tf_" + "a".repeat(32))).isTrue();
    assertThat(ApiKeySecrets.wellFormed("tf_" + "a b".repeat(20))).isFalse();
    assertThat(ApiKeySecrets.isApiKey("eyJhbGciOiJSUzI1NiJ9.x.y")).isFalse();
    assertThat(ApiKeySecrets.shown("tf_AbCdEfGhIjK")).isEqualTo("tf_AbCdEf");
  }
}
