package dev.turbofarm.coordinator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * No database password ships outside the dev and test profiles: the coordinator's own
 * application.properties, read as Quarkus reads it, fails on the production profile naming the
 * setting, and takes the password when it is given.
 */
class NoDefaultPasswordTest {

  private static SmallRyeConfig config(String profile, Map<String, String> given) throws Exception {
    URL props = NoDefaultPasswordTest.class.getResource("/application.properties");
    // The main resources' file: the test one carries no datasource settings.
    URL main = new URL(props.toString().replace("/target/test-classes/", "/target/classes/"));
    return new SmallRyeConfigBuilder()
        .withProfile(profile)
        .withSources(new PropertiesConfigSource(main, 250))
        .withSources(new PropertiesConfigSource(given, "given", 300))
        .build();
  }

  @Test
  void theProductionProfileHasNoPasswordAndSaysWhichSettingIsMissing() throws Exception {
    SmallRyeConfig prod = config("prod", Map.of());
    for (String key : new String[] {"quarkus.datasource.password", "quarkus.flyway.password"}) {
      assertThatThrownBy(() -> prod.getValue(key, String.class))
          .as(key)
          .hasMessageContaining(key)
          .hasMessageContaining(key.toUpperCase().replace('.', '_'));
    }
    assertThat(prod.getValue("quarkus.datasource.username", String.class))
        .isEqualTo("turbofarm_app");
    assertThat(prod.getValue("quarkus.flyway.username", String.class)).isEqualTo("turbofarm_owner");
  }

  @Test
  void aGivenPasswordIsTakenAndDevHasItsOwn() throws Exception {
    SmallRyeConfig prod =
        config("prod", Map.of("QUARKUS_DATASOURCE_PASSWORD", "from-the-secret-store"));
    assertThat(prod.getValue("quarkus.datasource.password", String.class))
        .isEqualTo("from-the-secret-store");
    assertThat(config("dev", Map.of()).getValue("quarkus.datasource.password", String.class))
        .isEqualTo("turbofarm");
  }
}
