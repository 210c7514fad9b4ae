package dev.turbofarm.testservices;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Arrays;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips, before anything starts, a test class marked {@link NeedsTestServices} or whose annotations
 * name a {@link UsesTestServices} when containers are chosen and no Docker engine answers. A
 * Quarkus test resource cannot skip its class itself: an exception in its start fails the boot, and
 * with it the test. Registered through JUnit's extension auto-detection, which the {@code
 * containers} Maven profile turns on.
 */
public final class ContainersNeedDocker implements ExecutionCondition {
  private static final ConditionEvaluationResult RUN =
      ConditionEvaluationResult.enabled("the services it needs are available");

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (TestServices.chosen() != TestServices.Kind.CONTAINERS) {
      return RUN;
    }
    boolean needs =
        context.getTestClass().map(ContainersNeedDocker::usesTestServices).orElse(false);
    if (!needs || Docker.available()) {
      return RUN;
    }
    return ConditionEvaluationResult.disabled(Docker.missingMessage());
  }

  /**
   * Whether the class, a superclass or an enclosing class is marked {@link NeedsTestServices} or
   * names a {@link UsesTestServices}.
   */
  static boolean usesTestServices(Class<?> testClass) {
    for (Class<?> c = testClass; c != null; c = c.getSuperclass()) {
      if (Arrays.stream(c.getAnnotations())
          .anyMatch(
              a ->
                  a.annotationType().getName().equals(NeedsTestServices.class.getName())
                      || names(a))) {
        return true;
      }
      if (c.getEnclosingClass() != null && usesTestServices(c.getEnclosingClass())) {
        return true;
      }
    }
    return false;
  }

  /** An annotation with a class-valued attribute (or nested annotations) naming one. */
  private static boolean names(Annotation a) {
    for (Method m : a.annotationType().getDeclaredMethods()) {
      if (m.getParameterCount() != 0) {
        continue;
      }
      Object value;
      try {
        value = m.invoke(a);
      } catch (ReflectiveOperationException | RuntimeException e) {
        continue;
      }
      if (value instanceof Class<?> c && isUser(c)) {
        return true;
      }
      if (value instanceof Class<?>[] cs
          && Arrays.stream(cs).anyMatch(ContainersNeedDocker::isUser)) {
        return true;
      }
      if (value instanceof Annotation[] nested
          && Arrays.stream(nested).anyMatch(ContainersNeedDocker::names)) {
        return true;
      }
    }
    return false;
  }

  /**
   * By name, not {@code isAssignableFrom}: Quarkus loads test classes in its own class loader, so
   * the marker there is not this loader's class object.
   */
  private static boolean isUser(Class<?> c) {
    for (Class<?> k = c; k != null; k = k.getSuperclass()) {
      for (Class<?> i : k.getInterfaces()) {
        if (i.getName().equals(UsesTestServices.class.getName())) {
          return true;
        }
      }
    }
    return false;
  }
}
