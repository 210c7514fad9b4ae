package dev.turbofarm.common.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TopicsTest {
  /** Kafka's legal topic names. */
  private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  @Test
  void eachModelHasALegalJobsTopicOfItsOwn() {
    assertThat(Topics.jobsFor("turbofarm-tiny@1.4")).isEqualTo("turbofarm.jobs.turbofarm-tiny-1.4");
    assertThat(Topics.jobsFor("turbofarm-tiny@1.3"))
        .isNotEqualTo(Topics.jobsFor("turbofarm-tiny@1.4"));
    assertThat(Topics.jobsFor("chaos-stub@1 (fault-injection fixture, not a model)"))
        .isEqualTo("turbofarm.jobs.chaos-stub-1-fault-injection-fixture-not-a-model");
    assertThat(Topics.jobsFor("Z-Image-Turbo@6B/bf16"))
        .isEqualTo("turbofarm.jobs.z-image-turbo-6b-bf16");
    for (String id : new String[] {"@@@", "x".repeat(400), "红色模型@1"}) {
      assertThat(Topics.jobsFor(id)).matches(LEGAL);
    }
  }
}
