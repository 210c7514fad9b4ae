package dev.turbofarm.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link ArchitectureRules} hold for the main classes of every module (this module's
 * own test classes, the violating fixtures among them, are left out).
 */
class ArchitectureTest {
  /**
   * The root package of each module whose main code the rules read: if one is missing, its module
   * is not a dependency of architecture-tests and every rule about it would pass on nothing.
   */
  private static final List<String> MODULE_PACKAGES =
      List.of(
          "dev.turbofarm.common",
          "dev.turbofarm.store",
          "dev.turbofarm.embedded",
          "dev.turbofarm.coordinator",
          "dev.turbofarm.worker",
          "dev.turbofarm.launcher",
          "dev.turbofarm.testservices",
          "dev.turbofarm.model.api",
          "dev.turbofarm.model.tiny",
          "dev.turbofarm.model.tools",
          "dev.turbofarm.testfixtures");

  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.turbofarm");
  }

  @Test
  void everyModuleIsOnTheClassPath() {
    List<String> packages = main.stream().map(JavaClass::getPackageName).distinct().toList();
    assertThat(MODULE_PACKAGES)
        .allSatisfy(
            root ->
                assertThat(packages)
                    .as(
                        "main classes under %s (add its module to architecture-tests/pom.xml)",
                        root)
                    .anyMatch(p -> p.equals(root) || p.startsWith(root + ".")));
  }

  @Test
  void commonUsesNoFramework() {
    ArchitectureRules.COMMON_USES_NO_FRAMEWORK.check(main);
  }

  @Test
  void commonKnowsNoService() {
    ArchitectureRules.COMMON_KNOWS_NO_SERVICE.check(main);
  }

  @Test
  void coordinatorDecodesNoImage() {
    ArchitectureRules.COORDINATOR_DECODES_NO_IMAGE.check(main);
  }

  @Test
  void resultStoreKnowsNoService() {
    ArchitectureRules.RESULT_STORE_KNOWS_NO_SERVICE.check(main);
  }

  @Test
  void coordinatorDoesNotImportWorker() {
    ArchitectureRules.COORDINATOR_DOES_NOT_IMPORT_WORKER.check(main);
  }

  @Test
  void workerDoesNotImportCoordinator() {
    ArchitectureRules.WORKER_DOES_NOT_IMPORT_COORDINATOR.check(main);
  }

  @Test
  void workerImportsNoModelTools() {
    ArchitectureRules.WORKER_IMPORTS_NO_MODEL_TOOLS.check(main);
  }

  @Test
  void workerImportsNoBundledModel() {
    ArchitectureRules.WORKER_IMPORTS_NO_BUNDLED_MODEL.check(main);
  }

  @Test
  void modelApiStandsAlone() {
    ArchitectureRules.MODEL_API_STANDS_ALONE.check(main);
  }

  @Test
  void noTestFixturesInMainCode() {
    ArchitectureRules.NO_TEST_FIXTURES_IN_MAIN_CODE.check(main);
  }

  @Test
  void launcherRunsServicesAsProcesses() {
    ArchitectureRules.LAUNCHER_RUNS_SERVICES_AS_PROCESSES.check(main);
  }

  @Test
  void persistenceKnowsNoServiceOrRest() {
    ArchitectureRules.PERSISTENCE_KNOWS_NO_SERVICE_OR_REST.check(main);
  }

  @Test
  void serviceKnowsNoRest() {
    ArchitectureRules.SERVICE_KNOWS_NO_REST.check(main);
  }

  @Test
  void restSkipsNoLayer() {
    ArchitectureRules.REST_SKIPS_NO_LAYER.check(main);
  }

  @Test
  void everyEndpointSaysWhoMayCallIt() {
    ArchitectureRules.ENDPOINTS_SAY_WHO_MAY_CALL.check(main);
    assertThat(
            main.stream()
                .flatMap(c -> c.getMethods().stream())
                .filter(m -> m.isAnnotatedWith("jakarta.annotation.security.RolesAllowed"))
                .count())
        .as("resource methods with @RolesAllowed (the rule must have endpoints to check)")
        .isGreaterThanOrEqualTo(15);
  }
}
