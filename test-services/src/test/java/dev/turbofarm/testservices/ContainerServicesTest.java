package dev.turbofarm.testservices;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The compose file's containers start and carry its settings. Needs a Docker engine and is skipped
 * without one (as on the build machines); {@link TestServicesTest} covers the same calls on the
 * embedded services.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerServicesTest {

  @Test
  void theComposeBrokerAndDatabaseRunWithTheComposeSettings() throws Exception {
    try (ContainerServices s = ContainerServices.start();
        Admin admin = Admin.create(Map.of("bootstrap.servers", s.bootstrapServers()))) {
      String node = admin.describeCluster().nodes().get().iterator().next().idString();
      ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, node);
      Config config = admin.describeConfigs(List.of(broker)).all().get().get(broker);
      assertThat(config.get("group.share.max.record.lock.duration.ms").value())
          .isEqualTo("3600000");
      assertThat(config.get("errors.deadletterqueue.auto.create.topics.enable").value())
          .isEqualTo("true");
      assertThat(config.get("auto.create.topics.enable").value()).isEqualTo("false");
      assertThat(
              admin
                  .describeFeatures()
                  .featureMetadata()
                  .get()
                  .finalizedFeatures()
                  .get("share.version")
                  .maxVersionLevel())
          .isGreaterThanOrEqualTo((short) 1);
      try (Connection c =
              DriverManager.getConnection(
                  s.jdbcUrl(ComposeServices.POSTGRES_DB), s.username(), s.password());
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SHOW server_version")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).startsWith("16.");
      }
    }
  }
}
