package dev.turbofarm.testservices;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import org.junit.jupiter.api.Test;

/** Which test classes the no-Docker skip applies to: those naming a {@link UsesTestServices}. */
class ContainersNeedDockerTest {
  @Retention(RetentionPolicy.RUNTIME)
  @interface Resource {
    Class<?> value();
  }

  @Retention(RetentionPolicy.RUNTIME)
  @interface Resources {
    Resource[] value();
  }

  static final class ServicesResource implements UsesTestServices {}

  static final class OtherResource {}

  @Resource(ServicesResource.class)
  static class Direct {}

  @Resources({@Resource(OtherResource.class), @Resource(ServicesResource.class)})
  static class Repeated {}

  static class Inherited extends Direct {}

  @NeedsTestServices
  static class Marked {}

  @Resource(OtherResource.class)
  static class Unrelated {}

  @Test
  void aClassMarkedOrNamingTheServicesDirectlyRepeatedOrInheritedNeedsThem() {
    assertThat(ContainersNeedDocker.usesTestServices(Direct.class)).isTrue();
    assertThat(ContainersNeedDocker.usesTestServices(Repeated.class)).isTrue();
    assertThat(ContainersNeedDocker.usesTestServices(Inherited.class)).isTrue();
    assertThat(ContainersNeedDocker.usesTestServices(Marked.class)).isTrue();
  }

  @Test
  void aClassNamingNoServicesIsLeftAlone() {
    assertThat(ContainersNeedDocker.usesTestServices(Unrelated.class)).isFalse();
    assertThat(ContainersNeedDocker.usesTestServices(ContainersNeedDockerTest.class)).isFalse();
  }
}
