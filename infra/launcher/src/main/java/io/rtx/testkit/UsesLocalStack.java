package io.rtx.testkit;

import io.rtx.schemas.Component;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks an integration test that needs real components of the stack; a {@link LocalStack} parameter
 * (constructor, lifecycle or test method) gives their endpoints.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(LocalStackExtension.class)
public @interface UsesLocalStack {
  /** The components the test needs; what they need starts too. */
  Component[] value();

  /**
   * A stack of this test class alone (own ports and home, wiped after the class), for tests that
   * stop, kill or otherwise disturb components. Shared otherwise.
   */
  boolean isolated() default false;

  /** Brokers of an isolated stack's Kafka cluster ({@code RTX_BROKERS}). */
  int brokers() default 1;

  /**
   * Processes of each Streams app and Connect workers of an isolated stack ({@code RTX_INSTANCES}).
   */
  int instances() default 1;
}
