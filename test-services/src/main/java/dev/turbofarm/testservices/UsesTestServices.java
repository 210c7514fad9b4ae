package dev.turbofarm.testservices;

/**
 * Marks a test resource or extension that starts {@link TestServices#shared()}: a test class that
 * names one in an annotation (for example Quarkus's {@code @QuarkusTestResource}) is skipped by
 * {@link ContainersNeedDocker} when containers are chosen and no Docker engine answers.
 */
public interface UsesTestServices {}
