package dev.turbofarm.common.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turbofarm.common.profile.Profile;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class JobRulesTest {
  private static final Map<String, Profile> PROFILES =
      Map.of(
          "draft", new Profile("draft", 512, 512, 10, 6.0, "drafts"),
          "portrait", new Profile("portrait", 576, 1024, 30, 6.0, "vertical"));
  private static final Function<String, Optional<Profile>> LOOKUP =
      n -> Optional.ofNullable(PROFILES.get(n));

  private static JobRequest req(
      String profile, Integer w, Integer h, Integer steps, Double g, Long seed, Integer count) {
    return new JobRequest("a red mug", null, profile, w, h, steps, g, seed, count, null);
  }

  private static InvalidJobException invalid(JobRequest r) {
    try {
      JobRules.resolve(r, LOOKUP, "draft");
    } catch (InvalidJobException e) {
      return e;
    }
    throw new AssertionError("expected the request to be rejected: " + r);
  }

  @Test
  void profileFillsWhatTheRequestLeavesOut() {
    JobSpec s = JobRules.resolve(req("portrait", null, null, null, null, 5L, 2), LOOKUP, "draft");
    assertThat(s.width()).isEqualTo(576);
    assertThat(s.height()).isEqualTo(1024);
    assertThat(s.steps()).isEqualTo(30);
    assertThat(s.guidance()).isEqualTo(6.0);
    assertThat(s.seeds()).containsExactly(5L, 6L);
    assertThat(s.team()).isEqualTo("default");
    assertThat(s.negativePrompt()).isEmpty();
  }

  @Test
  void explicitValuesOverrideTheProfile() {
    JobSpec s = JobRules.resolve(req("portrait", 768, 512, 8, 0.0, null, null), LOOKUP, "draft");
    assertThat(s.width()).isEqualTo(768);
    assertThat(s.height()).isEqualTo(512);
    assertThat(s.steps()).isEqualTo(8);
    assertThat(s.guidance()).isEqualTo(0.0);
    assertThat(s.profile()).isEqualTo("portrait");
  }

  @Test
  void defaultProfileWhenNoneNamed() {
    assertThat(
            JobRules.resolve(req(null, null, null, null, null, null, null), LOOKUP, "draft")
                .width())
        .isEqualTo(512);
  }

  @Test
  void sizesMustBeMultiplesOf64AndAreNeverRounded() {
    InvalidJobException e = invalid(req(null, 1000, null, null, null, null, null));
    assertThat(e.errors()).extracting(FieldError::field).containsExactly("width");
    assertThat(e.errors().get(0).problem()).contains("multiple of 64").contains("1024");
    assertThat(invalid(req(null, null, 192, null, null, null, null)).errors())
        .extracting(FieldError::field)
        .containsExactly("height");
    assertThat(invalid(req(null, 2112, null, null, null, null, null)).errors())
        .extracting(FieldError::field)
        .containsExactly("width");
    assertThat(
            JobRules.resolve(req(null, 256, 2048, null, null, null, null), LOOKUP, "draft")
                .height())
        .isEqualTo(2048);
  }

  @Test
  void rangesAreEnforcedAndEveryBadFieldReported() {
    InvalidJobException e =
        invalid(new JobRequest(" ", "n", "nope", 10, 10, 101, 20.5, -1L, 0, "bad team!"));
    assertThat(e.errors())
        .extracting(FieldError::field)
        .containsExactlyInAnyOrder(
            "prompt", "profile", "width", "height", "steps", "guidance", "seed", "count", "team");
  }

  @Test
  void boundariesAreAccepted() {
    JobSpec s =
        JobRules.resolve(
            new JobRequest(
                "p".repeat(2000), null, null, 256, 256, 100, 20.0, 4294967295L, 8, "team-a_1.x"),
            LOOKUP,
            "draft");
    assertThat(s.count()).isEqualTo(8);
    assertThat(s.seeds()).first().isEqualTo(4294967295L);
    assertThat(s.seeds().get(1)).as("seeds wrap within 32 bits").isEqualTo(0L);
    assertThat(
            invalid(
                    new JobRequest(
                        "p".repeat(2001), null, null, null, null, null, null, null, null, null))
                .errors())
        .extracting(FieldError::field)
        .containsExactly("prompt");
  }

  @Test
  void randomSeedsOfOneJobAreDistinct() {
    JobSpec s = JobRules.resolve(req(null, null, null, null, null, null, 8), LOOKUP, "draft");
    assertThat(s.seeds()).doesNotHaveDuplicates().hasSize(8);
  }

  @Test
  void nullRequestIsRejectedNotThrownAsNpe() {
    assertThatThrownBy(() -> JobRules.resolve(null, LOOKUP, "draft"))
        .isInstanceOf(InvalidJobException.class)
        .hasMessageContaining("body");
  }

  @Test
  void controlCharactersAndUnpairedSurrogatesAreRefusedNamingTheField() {
    InvalidJobException e =
        invalid(
            new JobRequest(
                "a red\u0000mug",
                "no\ud800blur",
                "dra\u0007ft",
                null,
                null,
                null,
                null,
                null,
                null,
                null));
    assertThat(e.errors())
        .extracting(FieldError::field)
        .containsExactly("prompt", "negativePrompt", "profile");
    assertThat(e.errors().get(0).problem()).contains("U+0000").contains("position 6");
    assertThat(e.errors().get(1).problem()).contains("unpaired surrogate U+D800");
  }

  @Test
  void promptsMayHoldTabsAndLineBreaksButNoOtherControlCharacter() {
    assertThat(JobRules.textProblem("a red mug\r\n\ton white", true)).isNull();
    assertThat(JobRules.textProblem("a red mug\n", false)).contains("no control characters");
    assertThat(JobRules.textProblem("bell\u007f", true)).contains("U+007F");
    assertThat(JobRules.textProblem("c1\u0085", true)).contains("U+0085");
    assertThat(JobRules.textProblem("emoji \ud83d\ude00 ok", false))
        .as("a surrogate pair is one valid character")
        .isNull();
    assertThat(JobRules.textProblem("\udc00 low first", false)).contains("U+DC00");
    assertThat(JobRules.textProblem("ends high \ud83d", false)).contains("U+D83D");
    assertThat(JobRules.textProblem(null, false)).isNull();
  }
}
