package dev.turbofarm.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.turbofarm.common.fake.CommonUsingCoordinator;
import dev.turbofarm.common.fake.CommonUsingKafka;
import dev.turbofarm.coordinator.fake.CoordinatorPart;
import dev.turbofarm.coordinator.fake.CoordinatorUsingWorker;
import dev.turbofarm.coordinator.fake.persistence.FakeRepository;
import dev.turbofarm.coordinator.fake.persistence.RepositoryUsingRest;
import dev.turbofarm.coordinator.fake.persistence.RepositoryUsingService;
import dev.turbofarm.coordinator.fake.rest.FakeResource;
import dev.turbofarm.coordinator.fake.rest.OpenResource;
import dev.turbofarm.coordinator.fake.rest.ResourceUsingRepository;
import dev.turbofarm.coordinator.fake.service.FakeService;
import dev.turbofarm.coordinator.fake.service.ServiceUsingRest;
import dev.turbofarm.launcher.fake.LauncherUsingWorker;
import dev.turbofarm.model.api.fake.ApiUsingBundledModel;
import dev.turbofarm.model.tiny.fake.TinyNetwork;
import dev.turbofarm.model.tools.fake.Trainer;
import dev.turbofarm.testfixtures.fake.ChaosFixture;
import dev.turbofarm.worker.fake.WorkerPart;
import dev.turbofarm.worker.fake.WorkerUsingBundledModel;
import dev.turbofarm.worker.fake.WorkerUsingCoordinator;
import dev.turbofarm.worker.fake.WorkerUsingFixture;
import dev.turbofarm.worker.fake.WorkerUsingTraining;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.Test;

/**
 * Each rule of {@link ArchitectureRules} fails when broken: run against small classes in this
 * module's test sources that break it on purpose ({@code *.fake} packages), it reports exactly that
 * class and what it reached for. A rule that could not fail would pass {@link ArchitectureTest}
 * without proving anything.
 */
class ArchitectureRulesTest {

  /** The rule, run on {@code violator}'s package, reports {@code violator} -> {@code target}. */
  private static void assertReports(ArchRule rule, Class<?> violator, Class<?> target) {
    JavaClasses fixtures = new ClassFileImporter().importPackages(violator.getPackageName());
    EvaluationResult result = rule.evaluate(fixtures);
    assertThat(result.hasViolation()).as("%s reports %s", rule, violator.getSimpleName()).isTrue();
    assertThat(result.getFailureReport().getDetails())
        .as("violations of %s", rule)
        .anySatisfy(d -> assertThat(d).contains(violator.getName()).contains(target.getName()));
  }

  @Test
  void commonUsingKafkaIsReported() {
    assertReports(
        ArchitectureRules.COMMON_USES_NO_FRAMEWORK, CommonUsingKafka.class, Producer.class);
  }

  @Test
  void commonUsingTheCoordinatorIsReported() {
    assertReports(
        ArchitectureRules.COMMON_KNOWS_NO_SERVICE,
        CommonUsingCoordinator.class,
        CoordinatorPart.class);
  }

  @Test
  void aCoordinatorThatResizesImagesIsReported() {
    assertReports(
        ArchitectureRules.COORDINATOR_DECODES_NO_IMAGE,
        dev.turbofarm.coordinator.fakeimage.ResizingCoordinator.class,
        javax.imageio.ImageIO.class);
  }

  @Test
  void coordinatorUsingTheWorkerIsReported() {
    assertReports(
        ArchitectureRules.COORDINATOR_DOES_NOT_IMPORT_WORKER,
        CoordinatorUsingWorker.class,
        WorkerPart.class);
  }

  @Test
  void workerUsingTheCoordinatorIsReported() {
    assertReports(
        ArchitectureRules.WORKER_DOES_NOT_IMPORT_COORDINATOR,
        WorkerUsingCoordinator.class,
        CoordinatorPart.class);
  }

  @Test
  void workerUsingTrainingCodeIsReported() {
    assertReports(
        ArchitectureRules.WORKER_IMPORTS_NO_MODEL_TOOLS, WorkerUsingTraining.class, Trainer.class);
  }

  @Test
  void workerUsingTheBundledModelDirectlyIsReported() {
    assertReports(
        ArchitectureRules.WORKER_IMPORTS_NO_BUNDLED_MODEL,
        WorkerUsingBundledModel.class,
        TinyNetwork.class);
  }

  @Test
  void modelApiUsingTheBundledModelIsReported() {
    assertReports(
        ArchitectureRules.MODEL_API_STANDS_ALONE, ApiUsingBundledModel.class, TinyNetwork.class);
  }

  @Test
  void mainCodeUsingATestFixtureIsReported() {
    assertReports(
        ArchitectureRules.NO_TEST_FIXTURES_IN_MAIN_CODE,
        WorkerUsingFixture.class,
        ChaosFixture.class);
  }

  @Test
  void launcherLinkingTheWorkerIsReported() {
    assertReports(
        ArchitectureRules.LAUNCHER_RUNS_SERVICES_AS_PROCESSES,
        LauncherUsingWorker.class,
        WorkerPart.class);
  }

  @Test
  void persistenceUsingServiceOrRestIsReported() {
    assertReports(
        ArchitectureRules.PERSISTENCE_KNOWS_NO_SERVICE_OR_REST,
        RepositoryUsingService.class,
        FakeService.class);
    assertReports(
        ArchitectureRules.PERSISTENCE_KNOWS_NO_SERVICE_OR_REST,
        RepositoryUsingRest.class,
        FakeResource.class);
  }

  @Test
  void serviceUsingRestIsReported() {
    assertReports(
        ArchitectureRules.SERVICE_KNOWS_NO_REST, ServiceUsingRest.class, FakeResource.class);
  }

  @Test
  void restUsingPersistenceIsReported() {
    assertReports(
        ArchitectureRules.REST_SKIPS_NO_LAYER, ResourceUsingRepository.class, FakeRepository.class);
  }

  @Test
  void downwardArrowsPassTheLayerRules() {
    // The control: rest -> service -> persistence, as it should be, breaks none of them.
    JavaClasses ok = new ClassFileImporter().importPackages("dev.turbofarm.coordinator.fakeok");
    assertThat(ok).hasSize(3);
    for (ArchRule rule :
        new ArchRule[] {
          ArchitectureRules.PERSISTENCE_KNOWS_NO_SERVICE_OR_REST,
          ArchitectureRules.SERVICE_KNOWS_NO_REST,
          ArchitectureRules.REST_SKIPS_NO_LAYER
        }) {
      assertThat(rule.evaluate(ok).hasViolation()).as("%s on downward arrows", rule).isFalse();
    }
  }

  @Test
  void anEndpointWithoutRolesIsReported() {
    EvaluationResult result =
        ArchitectureRules.ENDPOINTS_SAY_WHO_MAY_CALL.evaluate(
            new ClassFileImporter().importClasses(OpenResource.class));
    assertThat(result.hasViolation()).isTrue();
    assertThat(result.getFailureReport().getDetails())
        .singleElement()
        .satisfies(d -> assertThat(d).contains("OpenResource.open()"));
  }
}
