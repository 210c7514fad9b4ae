package dev.turbofarm.testservices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

/**
 * The chosen services (embedded unless {@code -Dturbofarm.test.services=containers}) serve a broker
 * with share groups and a database; the property is read strictly.
 */
class TestServicesTest {

  @Test
  void thePropertyNamesEmbeddedOrContainersAndNothingElse() {
    assertThat(TestServices.Kind.parse(null)).isEqualTo(TestServices.Kind.EMBEDDED);
    assertThat(TestServices.Kind.parse(" Embedded ")).isEqualTo(TestServices.Kind.EMBEDDED);
    assertThat(TestServices.Kind.parse("containers")).isEqualTo(TestServices.Kind.CONTAINERS);
    assertThatThrownBy(() -> TestServices.Kind.parse("docker"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("turbofarm.test.services=docker")
        .hasMessageContaining("embedded")
        .hasMessageContaining("containers");
  }

  @Test
  void theChosenServicesServeABrokerWithShareGroupsAndADatabase() throws Exception {
    TestServices s = TestServices.shared();
    assertThat(s.kind()).isEqualTo(TestServices.chosen());
    assertThat(TestServices.shared()).as("one per JVM").isSameAs(s);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", s.bootstrapServers()))) {
      assertThat(admin.describeCluster().nodes().get()).hasSize(1);
      // Share groups are the job queue: the broker must have them on.
      assertThat(
              admin
                  .describeFeatures()
                  .featureMetadata()
                  .get()
                  .finalizedFeatures()
                  .get("share.version")
                  .maxVersionLevel())
          .isGreaterThanOrEqualTo((short) 1);
    }
    String url = s.jdbcUrl("services_test");
    assertThat(s.jdbcUrl("services_test")).as("a second call finds it").isEqualTo(url);
    try (Connection c = DriverManager.getConnection(url, s.username(), s.password());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT current_database()")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("services_test");
    }
  }
}
