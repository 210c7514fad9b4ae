package dev.turbofarm.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherTest {

  @TempDir Path dir;

  @Test
  void theDemoSampleIsTwentyFourValidMostlyDraftJobsWithSomeVariants() {
    List<JsonNode> sample = Demo.sample();
    assertThat(sample).hasSize(24);
    Set<String> prompts = new HashSet<>();
    long drafts = 0;
    long multi = 0;
    for (JsonNode j : sample) {
      assertThat(j.path("prompt").asText()).isNotBlank();
      prompts.add(j.path("prompt").asText());
      drafts += "draft".equals(j.path("profile").asText()) ? 1 : 0;
      multi += j.path("count").asInt(1) > 1 ? 1 : 0;
    }
    assertThat(prompts).as("no duplicate prompts").hasSize(24);
    assertThat(drafts).isGreaterThan(sample.size() / 2);
    assertThat(multi).isGreaterThanOrEqualTo(2);
  }

  @Test
  void readyLinesAreParsedByKey() {
    String line =
        "POSTGRES READY jdbc=jdbc:postgresql://localhost:15432/turbofarm port=15432 user=postgres";
    assertThat(ServiceProcesses.field(line, "jdbc"))
        .isEqualTo("jdbc:postgresql://localhost:15432/turbofarm");
    assertThat(ServiceProcesses.field(line, "port")).isEqualTo("15432");
    assertThatThrownBy(() -> ServiceProcesses.field("KAFKA READY", "bootstrap"))
        .isInstanceOf(FarmException.class)
        .hasMessageContaining("bootstrap=");
  }

  @Test
  void percentilesUseTheNearestRank() {
    List<Long> values = LongStream.rangeClosed(1, 200).boxed().toList();
    OverheadBench.Stats s = OverheadBench.Stats.of(values);
    assertThat(s.min()).isEqualTo(1);
    assertThat(s.p50()).isEqualTo(100);
    assertThat(s.p99()).isEqualTo(198);
    assertThat(OverheadBench.Stats.of(List.of(7L)).p99()).isEqualTo(7);
  }

  @Test
  void theFarmWarmUpEndsWhenTheLastJobsAreNoLongerFasterThanTheOnesBefore() {
    // two workers: windows of two jobs
    assertThat(PathWarmUp.settled(List.of(900L, 700L, 500L), 2)).as("too few jobs").isFalse();
    assertThat(PathWarmUp.settled(List.of(900L, 700L, 400L, 380L), 2))
        .as("still getting faster")
        .isFalse();
    assertThat(PathWarmUp.settled(List.of(900L, 700L, 400L, 380L, 390L, 370L), 2)).isTrue();
    assertThat(PathWarmUp.settled(List.of(400L, 380L, 600L, 580L), 2))
        .as("a slow spell is not settled")
        .isFalse();
  }

  @Test
  void eachWorkersFirstJobIsComparedWithItsOwnLaterJobs() {
    List<FirstJobBench.Render> renders =
        List.of(
            new FirstJobBench.Render("fast", 300),
            new FirstJobBench.Render("slow", 440),
            new FirstJobBench.Render("fast", 290),
            new FirstJobBench.Render("fast", 310),
            new FirstJobBench.Render("slow", 400),
            new FirstJobBench.Render("slow", 480),
            new FirstJobBench.Render("once", 999));
    java.util.Map<String, Double> r = FirstJobBench.ratios(renders);
    // slow: 440 / median(400, 480) = 1.0, not 440 / the fast worker's 300
    assertThat(r).containsOnlyKeys("fast", "slow");
    assertThat(r.get("fast")).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(r.get("slow")).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(
            FirstJobBench.ratios(
                    List.of(new FirstJobBench.Render("w", 900), new FirstJobBench.Render("w", 300)))
                .get("w"))
        .as("a cold first job shows")
        .isCloseTo(3.0, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void onlyOurOwnProgramsCountAsLeftovers() {
    assertThat(
            FarmLock.isFarmCommand(
                "/usr/bin/java -Xmx768m -jar /r/coordinator/target/quarkus-app/quarkus-run.jar"))
        .isTrue();
    assertThat(
            FarmLock.isFarmCommand(
                "/usr/bin/java -jar /r/" + FarmBuild.WORKER_JAR + " --worker-id w"))
        .isTrue();
    assertThat(
            FarmLock.isFarmCommand(
                "/usr/bin/java -cp lib/* dev.turbofarm.embedded.EmbeddedKafkaMain --dir d"))
        .isTrue();
    assertThat(FarmLock.isFarmCommand("/usr/sbin/sshd -D")).isFalse();
  }

  @Test
  void aSecondFarmOnTheSameDataIsRefusedNamingTheFirst() {
    String me = Long.toString(ProcessHandle.current().pid());
    try (FarmLock first = FarmLock.acquire(dir)) {
      assertThatThrownBy(() -> FarmLock.acquire(dir))
          .isInstanceOf(FarmException.class)
          .hasMessageContaining("another farm is running on " + dir)
          .hasMessageContaining("launcher pid " + me);
    }
    try (FarmLock again = FarmLock.acquire(dir)) {
      assertThat(dir.resolve("farm.lock")).content().isEqualToIgnoringNewLines(me);
    }
  }

  @Test
  void resultPathsAreAbsoluteOrUnderTheResultRoot() {
    assertThat(Demo.resolve(Path.of("/data/results"), "/x/y.png")).isEqualTo(Path.of("/x/y.png"));
    assertThat(Demo.resolve(Path.of("/data/results"), "ab/0.png"))
        .isEqualTo(Path.of("/data/results/ab/0.png"));
  }

  @Test
  void aMissingBuildIsReportedWithTheCommandToRun() {
    FarmOptions o = FarmOptions.defaults(dir).withFreePorts();
    assertThatThrownBy(() -> Farm.start(o))
        .isInstanceOf(FarmException.class)
        .hasMessageContaining("the farm is not built")
        .hasMessageContaining("quarkus-run.jar")
        .hasMessageContaining("mvn -DskipTests package");
  }
}
