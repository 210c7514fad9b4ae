package dev.turbofarm.common.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turbofarm.common.profile.Profile;
import dev.turbofarm.common.profile.ProfileCatalog;
import dev.turbofarm.common.profile.StepProfile;
import java.util.List;
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

  private static final ProfileCatalog CATALOG =
      ProfileCatalog.of(
          List.of(
              new Profile("draft", 512, 512, 10, 6.0, "drafts", "explore"),
              new Profile("portrait", 576, 1024, 30, 6.0, "vertical", "daily")),
          List.of(
              new StepProfile("explore", 10, "look"),
              new StepProfile("daily", 30, "everyday"),
              new StepProfile("final", 40, "catalogue")),
          "draft");

  private static JobRequest withSteps(String profile, Steps steps) {
    return new JobRequest(
        "a red mug", null, profile, null, null, steps, null, 1L, null, null, null, null, null);
  }

  @Test
  void aSizeProfileBringsItsDefaultStepProfile() {
    JobSpec draft = JobRules.resolve(withSteps("draft", null), CATALOG, () -> "m@1");
    assertThat(draft.steps()).isEqualTo(10);
    assertThat(draft.stepProfile()).isEqualTo("explore");
    JobSpec portrait = JobRules.resolve(withSteps("portrait", null), CATALOG, () -> "m@1");
    assertThat(portrait.steps()).isEqualTo(30);
    assertThat(portrait.stepProfile()).isEqualTo("daily");
    assertThat(portrait.model()).as("the default model when none is named").isEqualTo("m@1");
  }

  @Test
  void aNamedStepProfileOrANumberWins() {
    JobSpec fin = JobRules.resolve(withSteps("draft", Steps.profile("final")), CATALOG, () -> "m");
    assertThat(fin.steps()).isEqualTo(40);
    assertThat(fin.stepProfile()).isEqualTo("final");
    assertThat(fin.width()).as("the size still comes from the size profile").isEqualTo(512);
    JobSpec n = JobRules.resolve(withSteps("portrait", Steps.count(17)), CATALOG, () -> "m");
    assertThat(n.steps()).isEqualTo(17);
    assertThat(n.stepProfile()).as("no step profile was used").isNull();
  }

  @Test
  void anUnknownStepProfileNamesTheKnownOnes() {
    InvalidJobException e =
        assertThrows(
            () -> JobRules.resolve(withSteps("draft", Steps.profile("slow")), CATALOG, () -> "m"));
    assertThat(e.errors()).extracting(FieldError::field).containsExactly("steps");
    assertThat(e.errors().get(0).problem()).contains("'slow'").contains("final");
  }

  @Test
  void stepsParseFromNumbersAndNames() {
    assertThat(Steps.parse("30")).isEqualTo(Steps.count(30));
    assertThat(Steps.parse(" final ")).isEqualTo(Steps.profile("final"));
    assertThat(Steps.parse("-3")).isEqualTo(Steps.count(-3));
    assertThat(Steps.parse("")).isNull();
    assertThat(Steps.parse("99999999999").count()).isGreaterThan(JobRules.MAX_STEPS);
  }

  @Test
  void explicitSeedsAreEachImagesSeed() {
    JobRequest r =
        new JobRequest(
            "a red mug",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            "m@2",
            List.of(7L, 4294967295L, 0L));
    JobSpec s = JobRules.resolve(r, CATALOG, () -> "unused");
    assertThat(s.seeds()).containsExactly(7L, 4294967295L, 0L);
    assertThat(s.count()).isEqualTo(3);
    assertThat(s.model()).isEqualTo("m@2");
  }

  @Test
  void badSeedListsAreNamed() {
    JobRequest r =
        new JobRequest(
            "a red mug",
            null,
            null,
            null,
            null,
            null,
            null,
            5L,
            2,
            null,
            null,
            " ",
            java.util.Arrays.asList(1L, 1L, -1L, null));
    InvalidJobException e = assertThrows(() -> JobRules.resolve(r, CATALOG, () -> "m"));
    assertThat(e.errors())
        .extracting(FieldError::field)
        .contains("seeds", "seeds[1]", "seeds[2]", "seeds[3]", "model");
  }

  @Test
  void seedPoolsAreCheckedWholly() {
    assertThat(JobRules.checkSeedPool("pool", List.of(42L, 123L))).isEmpty();
    assertThat(JobRules.checkSeedPool("pool", List.of()))
        .extracting(FieldError::field)
        .containsExactly("pool");
    assertThat(JobRules.checkSeedPool("pool", List.of(1L, 1L, 4294967296L, -1L)))
        .extracting(FieldError::field)
        .containsExactly("pool[1]", "pool[2]", "pool[3]");
    assertThat(
            JobRules.checkSeedPool(
                "pool", java.util.stream.LongStream.range(0, 9).boxed().toList()))
        .extracting(FieldError::problem)
        .anyMatch(p -> p.contains("at most 8"));
  }

  private static InvalidJobException assertThrows(Runnable r) {
    try {
      r.run();
    } catch (InvalidJobException e) {
      return e;
    }
    throw new AssertionError("expected the request to be rejected");
  }
}
