package dev.turbofarm.coordinator.security.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turbofarm.coordinator.error.ForbiddenProblem;
import dev.turbofarm.coordinator.error.NotFoundProblem;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What each role may read and write, and which answer a refusal gets (404 or 403). */
class CallerTest {
  private final Caller submitter = new Caller("k1", "Sam", Roles.SUBMITTER, "shop", Set.of());
  private final Caller analyst =
      new Caller("k2", "Ann", Roles.ANALYST, "bi", Set.of("shop", "garden"));
  private final Caller admin = new Caller("k3", "Ada", Roles.ADMIN, "default", Set.of());

  @Test
  void aSubmitterReadsAndWritesItsOwnTeamOnly() {
    assertThat(submitter.canRead("shop")).isTrue();
    assertThat(submitter.canWrite("shop")).isTrue();
    assertThat(submitter.canRead("garden")).isFalse();
    assertThat(submitter.canWrite("garden")).isFalse();
    assertThat(submitter.teamFor(null, "team")).isEqualTo("shop");
    assertThat(submitter.teamFor("shop", "team")).isEqualTo("shop");
    assertThatThrownBy(() -> submitter.teamFor("garden", "team"))
        .isInstanceOf(ForbiddenProblem.class)
        .hasMessageContaining("team: is 'garden'");
  }

  @Test
  void anAnalystReadsItsTeamsAndWritesNone() {
    assertThat(analyst.teams()).containsExactlyInAnyOrder("bi", "shop", "garden");
    assertThat(analyst.canRead("garden")).isTrue();
    assertThat(analyst.canRead("toys")).isFalse();
    assertThat(analyst.canWrite("bi")).isFalse();
    assertThatThrownBy(() -> analyst.requireWritableTeam("shop"))
        .isInstanceOf(ForbiddenProblem.class);
    assertThatThrownBy(() -> analyst.requireWritableTeam("toys"))
        .isInstanceOf(NotFoundProblem.class);
  }

  @Test
  void anAdminActsForAnyTeam() {
    assertThat(admin.canRead("toys")).isTrue();
    assertThat(admin.canWrite("toys")).isTrue();
    assertThat(admin.teamFor("toys", "team")).isEqualTo("toys");
    assertThat(admin.teamFor(null, "team")).isEqualTo("default");
    admin.requireWritableTeam("toys");
  }

  @Test
  void aPathNamingAnotherTeamIsA404() {
    assertThatThrownBy(() -> submitter.requireReadableTeam("garden"))
        .isInstanceOf(NotFoundProblem.class)
        .hasMessageContaining("garden");
    submitter.requireReadableTeam("shop");
  }
}
