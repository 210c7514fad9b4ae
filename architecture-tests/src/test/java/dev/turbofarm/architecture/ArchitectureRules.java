package dev.turbofarm.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.List;

/**
 * The module and layer arrows of docs/architecture.md as ArchUnit rules. {@link ArchitectureTest}
 * checks them against every module's main classes; {@link ArchitectureRulesTest} shows each one
 * reporting a small violating class.
 */
final class ArchitectureRules {
  private ArchitectureRules() {}

  /** common/ is plain Java: both services share it without each other's stack. */
  static final ArchRule COMMON_USES_NO_FRAMEWORK =
      noClasses()
          .that()
          .resideInAPackage("dev.turbofarm.common..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.quarkus..",
              "io.smallrye..",
              "io.vertx..",
              "jakarta..",
              "javax.persistence..",
              "org.hibernate..",
              "ai.djl..",
              "org.apache.kafka..",
              "org.postgresql..",
              "org.flywaydb..")
          .because("common/ is plain Java shared by both services (STYLE.md 1)");

  /** common/ knows no service, no launcher, no model, no test code. */
  static final ArchRule COMMON_KNOWS_NO_SERVICE =
      noClasses()
          .that()
          .resideInAPackage("dev.turbofarm.common..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.turbofarm.coordinator..",
              "dev.turbofarm.worker..",
              "dev.turbofarm.model..",
              "dev.turbofarm.launcher..",
              "dev.turbofarm.embedded..",
              "dev.turbofarm.testfixtures..",
              "dev.turbofarm.testservices..")
          .because("the services depend on common, never the other way round");

  static final ArchRule COORDINATOR_DOES_NOT_IMPORT_WORKER =
      noClasses()
          .that()
          .resideInAPackage("dev.turbofarm.coordinator..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.turbofarm.worker..")
          .because("coordinator and worker meet only in Kafka messages defined in common");

  static final ArchRule WORKER_DOES_NOT_IMPORT_COORDINATOR =
      noClasses()
          .that()
          .resideInAPackage("dev.turbofarm.worker..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.turbofarm.coordinator..")
          .because("coordinator and worker meet only in Kafka messages defined in common");

  /** Training, data generation, eval and benchmarks never ship in a worker. */
  static final ArchRule WORKER_IMPORTS_NO_MODEL_TOOLS =
      noClasses()
          .that()
          .resideInAPackage("dev.turbofarm.worker..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.turbofarm.model.tools..")
          .because("model-tools is not a dependency of the worker (issue 9, item 1)");

  /** The worker compiles against the pipeline SPI only; the bundled model comes at run time. */
  static final ArchRule WORKER_IMPORTS_NO_BUNDLED_MODEL =
      noClasses()
          .that()
          .resideInAPackage("dev.turbofarm.worker..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.turbofarm.model.tiny..")
          .because(
              "the worker uses only dev.turbofarm.model.api at compile time; model-tiny is found"
                  + " through ServiceLoader at run time");

  /** The SPI stands alone: models and services depend on it, it depends on none of them. */
  static final ArchRule MODEL_API_STANDS_ALONE =
      noClasses()
          .that()
          .resideInAPackage("dev.turbofarm.model.api..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.turbofarm.model.tiny..",
              "dev.turbofarm.model.tools..",
              "dev.turbofarm.worker..",
              "dev.turbofarm.coordinator..")
          .because("model-api is the SPI every pipeline implements (issue 9, item 1)");

  /** Test fixtures (ChaosPipeline and the like) are for tests; main code never reaches them. */
  static final ArchRule NO_TEST_FIXTURES_IN_MAIN_CODE =
      noClasses()
          .that()
          .resideOutsideOfPackages("dev.turbofarm.testfixtures..", "dev.turbofarm.testservices..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.turbofarm.testfixtures..", "dev.turbofarm.testservices..")
          .because("nothing in src/main is test only (issue 9, item 1)");

  /** The launcher runs the coordinator and the workers as processes; it links neither. */
  static final ArchRule LAUNCHER_RUNS_SERVICES_AS_PROCESSES =
      noClasses()
          .that()
          .resideInAPackage("dev.turbofarm.launcher..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.turbofarm.coordinator..", "dev.turbofarm.worker..", "dev.turbofarm.model..")
          .because("every part of the local farm is its own process, as in production");

  /**
   * The coordinator serves stored bytes: a thumbnail is the file the worker wrote beside the image,
   * never a resize on request, so nothing in the coordinator decodes or scales an image.
   */
  static final ArchRule COORDINATOR_DECODES_NO_IMAGE =
      noClasses()
          .that()
          .resideInAPackage("dev.turbofarm.coordinator..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("javax.imageio..", "java.awt.image..", "java.awt")
          .because(
              "thumbnails are made once by the worker, never by resizing on request (issue 11)");

  /** The result store is shared plumbing: the services use it, it knows none of them. */
  static final ArchRule RESULT_STORE_KNOWS_NO_SERVICE =
      noClasses()
          .that()
          .resideInAPackage("dev.turbofarm.store..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.turbofarm.coordinator..",
              "dev.turbofarm.worker..",
              "dev.turbofarm.model..",
              "dev.turbofarm.launcher..",
              "io.quarkus..",
              "org.apache.kafka..")
          .because("worker and coordinator both use result-store (issue 11)");

  // Inside each coordinator feature package dev.turbofarm.coordinator.<feature>: rest -> service
  // -> persistence, arrows only downward. The infrastructure packages (config, error, kafka) are
  // no layer of a feature and may be used from anywhere.

  private static final String PERSISTENCE = "dev.turbofarm.coordinator.*.persistence..";
  private static final String SERVICE = "dev.turbofarm.coordinator.*.service..";
  private static final String REST = "dev.turbofarm.coordinator.*.rest..";

  static final ArchRule PERSISTENCE_KNOWS_NO_SERVICE_OR_REST =
      noClasses()
          .that()
          .resideInAPackage(PERSISTENCE)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(SERVICE, REST)
          .because("repositories own their tables' SQL and know nothing above them");

  static final ArchRule SERVICE_KNOWS_NO_REST =
      noClasses()
          .that()
          .resideInAPackage(SERVICE)
          .should()
          .dependOnClassesThat()
          .resideInAPackage(REST)
          .because("services return service types; resources map them to DTOs");

  static final ArchRule REST_SKIPS_NO_LAYER =
      noClasses()
          .that()
          .resideInAPackage(REST)
          .should()
          .dependOnClassesThat()
          .resideInAPackage(PERSISTENCE)
          .because("resources never run SQL: they call services");

  // Identity (issue 10): every HTTP endpoint of the coordinator says who may call it.

  private static final List<String> HTTP_METHODS =
      List.of(
          "jakarta.ws.rs.GET",
          "jakarta.ws.rs.POST",
          "jakarta.ws.rs.PUT",
          "jakarta.ws.rs.DELETE",
          "jakarta.ws.rs.PATCH",
          "jakarta.ws.rs.HEAD",
          "jakarta.ws.rs.OPTIONS");

  private static final List<String> ACCESS_ANNOTATIONS =
      List.of(
          "jakarta.annotation.security.RolesAllowed",
          "jakarta.annotation.security.PermitAll",
          "jakarta.annotation.security.DenyAll",
          "io.quarkus.security.Authenticated");

  private static final DescribedPredicate<JavaMethod> HTTP_ENDPOINTS =
      DescribedPredicate.describe(
          "are HTTP endpoints served (@GET, @POST... on a class; a REST client's interface calls"
              + " out)",
          m -> !m.getOwner().isInterface() && HTTP_METHODS.stream().anyMatch(m::isAnnotatedWith));

  private static final ArchCondition<JavaMethod> SAY_WHO_MAY_CALL =
      new ArchCondition<>("carry @RolesAllowed, @PermitAll, @DenyAll or @Authenticated") {
        @Override
        public void check(JavaMethod m, ConditionEvents events) {
          if (ACCESS_ANNOTATIONS.stream().noneMatch(m::isAnnotatedWith)) {
            events.add(
                SimpleConditionEvent.violated(
                    m,
                    m.getFullName()
                        + " is an HTTP endpoint without @RolesAllowed, @PermitAll, @DenyAll or"
                        + " @Authenticated"));
          }
        }
      };

  static final ArchRule ENDPOINTS_SAY_WHO_MAY_CALL =
      methods()
          .that(HTTP_ENDPOINTS)
          .should(SAY_WHO_MAY_CALL)
          .because(
              "every endpoint names the roles that may call it (issue 10, docs/security.md);"
                  + " one without would be denied at run time, or open if that setting changed")
          .allowEmptyShould(true);
}
