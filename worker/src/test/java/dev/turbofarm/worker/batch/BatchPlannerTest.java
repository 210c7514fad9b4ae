package dev.turbofarm.worker.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turbofarm.common.messaging.JobMessage;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BatchPlannerTest {
  private static JobMessage job(int w, int h, int steps, double g, Long... seeds) {
    return new JobMessage(
        1,
        UUID.randomUUID(),
        1,
        "t",
        "p",
        "",
        "draft",
        w,
        h,
        steps,
        g,
        List.of(seeds),
        0,
        0,
        null,
        null,
        0);
  }

  @Test
  void onlyCompatibleImagesShareABatchAndNoneIsLostOrDoubled() {
    JobMessage a = job(512, 512, 10, 6.0, 1L, 2L, 3L);
    JobMessage b = job(768, 768, 10, 6.0, 4L);
    JobMessage c = job(512, 512, 10, 6.0, 5L, 6L, 7L, 8L);
    JobMessage d = job(512, 512, 30, 6.0, 9L);
    List<BatchPlanner.Batch> batches = new BatchPlanner(4, 16_777_216L).plan(List.of(a, b, c, d));

    for (BatchPlanner.Batch batch : batches) {
      assertThat(batch.images()).hasSizeBetween(1, 4);
      assertThat(batch.images()).allMatch(t -> t.job().batchKey().equals(batch.key()));
    }
    List<Long> seeds =
        batches.stream().flatMap(x -> x.images().stream()).map(t -> t.request().seed()).toList();
    assertThat(seeds).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    // 7 images of 512/10 steps -> 4 + 3; one 768 batch; one 30-step batch.
    assertThat(batches).hasSize(4);
    assertThat(batches.get(0).images())
        .extracting(t -> t.request().seed())
        .containsExactly(1L, 2L, 3L, 5L);
  }

  @Test
  void imageIndexFollowsTheSeedOrder() {
    JobMessage a = job(256, 256, 2, 1.0, 40L, 41L);
    List<BatchPlanner.ImageTask> tasks =
        new BatchPlanner(8, 16_777_216L).plan(List.of(a)).get(0).images();
    assertThat(tasks).extracting(BatchPlanner.ImageTask::index).containsExactly(0, 1);
    assertThat(tasks).extracting(t -> t.request().seed()).containsExactly(40L, 41L);
  }

  @Test
  void interactiveJobsRenderFirstInBatchesOfTheirOwn() {
    JobMessage bulk1 = job(512, 512, 10, 6.0, 1L, 2L);
    JobMessage bulk2 = job(512, 512, 10, 6.0, 3L);
    JobMessage interactive =
        new JobMessage(
            1,
            UUID.randomUUID(),
            1,
            "t",
            "p",
            "",
            "draft",
            512,
            512,
            10,
            6.0,
            List.of(9L),
            0,
            0,
            null,
            null,
            10);
    List<BatchPlanner.Batch> batches =
        new BatchPlanner(8, 16_777_216L).plan(List.of(bulk1, interactive, bulk2));

    assertThat(batches).hasSize(2);
    assertThat(batches.get(0).images()).extracting(t -> t.request().seed()).containsExactly(9L);
    assertThat(batches.get(1).images())
        .extracting(t -> t.request().seed())
        .containsExactly(1L, 2L, 3L);
    // The control: without the priority, the same job shares the bulk batch.
    JobMessage sameAsBulk = job(512, 512, 10, 6.0, 9L);
    assertThat(new BatchPlanner(8, 16_777_216L).plan(List.of(bulk1, sameAsBulk, bulk2))).hasSize(1);
  }
}
