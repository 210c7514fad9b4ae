package dev.turbofarm.coordinator.console.rest;

import dev.turbofarm.coordinator.batch.service.BatchListing;
import dev.turbofarm.coordinator.batch.service.Intake;
import dev.turbofarm.coordinator.batch.service.Progress;
import dev.turbofarm.coordinator.batch.service.RowError;
import dev.turbofarm.coordinator.deadletter.service.DeadLetterService;
import dev.turbofarm.coordinator.dispatch.service.DispatchState;
import dev.turbofarm.coordinator.job.service.Job;
import dev.turbofarm.coordinator.security.service.Caller;
import dev.turbofarm.coordinator.seed.service.LineageImage;
import dev.turbofarm.coordinator.worker.service.WorkerRegistry;
import io.quarkus.qute.TemplateData;

/**
 * The service types the console's templates read, so Qute resolves their accessors without
 * reflection (value resolvers generated at build time).
 */
@TemplateData(target = Caller.class)
@TemplateData(target = Job.class)
@TemplateData(target = Job.Image.class)
@TemplateData(target = Progress.class)
@TemplateData(target = Progress.Jobs.class)
@TemplateData(target = Progress.Images.class)
@TemplateData(target = Progress.Reviews.class)
@TemplateData(target = BatchListing.Summary.class)
@TemplateData(target = Intake.class)
@TemplateData(target = RowError.class)
@TemplateData(target = WorkerRegistry.Worker.class)
@TemplateData(target = DeadLetterService.DeadLetter.class)
@TemplateData(target = DispatchState.class)
@TemplateData(target = LineageImage.class)
@TemplateData(target = dev.turbofarm.common.job.JobState.class)
@TemplateData(target = dev.turbofarm.common.seed.Lineage.class)
@TemplateData(target = dev.turbofarm.common.seed.Derivation.class)
@TemplateData(target = dev.turbofarm.common.profile.StepProfile.class)
final class ConsoleTemplateData {
  private ConsoleTemplateData() {}
}
