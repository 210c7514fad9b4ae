package dev.turbofarm.common;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** common/ stays plain Java so both services can share it without each other's stack. */
class ArchitectureTest {
  private final JavaClasses common =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.turbofarm.common");

  @Test
  void commonDependsOnNoFrameworkEngineOrClient() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.quarkus..",
            "jakarta..",
            "ai.djl..",
            "org.apache.kafka..",
            "org.hibernate..",
            "io.smallrye..",
            "org.postgresql..")
        .check(common);
  }

  @Test
  void commonDoesNotReachIntoTheServices() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.turbofarm.coordinator..", "dev.turbofarm.worker..")
        .check(common);
  }
}
