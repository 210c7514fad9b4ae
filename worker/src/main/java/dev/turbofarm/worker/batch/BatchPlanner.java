package dev.turbofarm.worker.batch;

import dev.turbofarm.common.messaging.JobMessage;
import dev.turbofarm.model.api.RenderRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups the images of the jobs in hand into sampler batches: only images with the same size, steps
 * and guidance share a batch (one tensor shape, one schedule), at most {@code maxBatchSize} images
 * and at most {@code memoryBudgetPixels} pixels (width x height x images) each, in arrival order,
 * except that interactive jobs (priority above 0) come first, in batches of their own: a user
 * waiting for one image does not wait for seven bulk images rendered beside it. A job's images may
 * span batches; each image is in exactly one. An image alone over the budget still forms its own
 * batch: the worker decides what to do with it.
 */
public final class BatchPlanner {
  private final int maxBatchSize;
  private final long memoryBudgetPixels;

  public BatchPlanner(int maxBatchSize, long memoryBudgetPixels) {
    this.maxBatchSize = maxBatchSize;
    this.memoryBudgetPixels = memoryBudgetPixels;
  }

  public long memoryBudgetPixels() {
    return memoryBudgetPixels;
  }

  /** Pixels of one image: what a batch's activation memory grows with. */
  public long pixels(ImageTask t) {
    return (long) t.request().width() * t.request().height();
  }

  /** One image to render: which job, which index, and the request for the pipeline. */
  public record ImageTask(JobMessage job, int index, RenderRequest request) {}

  /** Images that render together. */
  public record Batch(JobMessage.BatchKey key, List<ImageTask> images) {}

  /** Interactive and bulk images never share a batch; interactive groups come first. */
  private record Group(boolean interactive, JobMessage.BatchKey key) {}

  public List<Batch> plan(List<JobMessage> jobs) {
    Map<Group, List<ImageTask>> byKey = new LinkedHashMap<>();
    List<JobMessage> ordered = new ArrayList<>(jobs.size());
    jobs.stream().filter(JobMessage::interactive).forEach(ordered::add);
    jobs.stream().filter(j -> !j.interactive()).forEach(ordered::add);
    for (JobMessage job : ordered) {
      List<ImageTask> tasks =
          byKey.computeIfAbsent(
              new Group(job.interactive(), job.batchKey()), k -> new ArrayList<>());
      for (int i = 0; i < job.count(); i++) {
        tasks.add(
            new ImageTask(
                job,
                i,
                new RenderRequest(
                    job.prompt(),
                    job.negativePrompt(),
                    job.width(),
                    job.height(),
                    job.steps(),
                    job.guidance(),
                    job.seeds().get(i))));
      }
    }
    List<Batch> batches = new ArrayList<>();
    byKey.forEach(
        (group, tasks) -> {
          JobMessage.BatchKey key = group.key();
          long perImage = (long) key.width() * key.height();
          long byBudget = Math.max(1, memoryBudgetPixels / perImage);
          int size = (int) Math.min(maxBatchSize, byBudget);
          for (int from = 0; from < tasks.size(); from += size) {
            batches.add(
                new Batch(
                    key, List.copyOf(tasks.subList(from, Math.min(tasks.size(), from + size)))));
          }
        });
    return batches;
  }
}
