package dev.turbofarm.testservices;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A plain JUnit test class that uses {@link TestServices#shared()}: with containers chosen and no
 * Docker engine, it is skipped before it starts, each test reported with the reason (an assumption
 * failing in {@code @BeforeAll} would skip the class without saying why in the Maven reports).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(ContainersNeedDocker.class)
public @interface NeedsTestServices {}
