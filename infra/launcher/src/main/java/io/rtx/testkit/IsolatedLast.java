package io.rtx.testkit;

import java.util.Comparator;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * Runs a module's test classes that use the shared stack before those with a stack of their own,
 * each group in the order it came: an isolated class with a broker stops the shared stack ({@link
 * LocalStack#stopShared}), which a shared class after it would have to start again.
 */
public final class IsolatedLast implements ClassOrderer {

  @Override
  public void orderClasses(ClassOrdererContext context) {
    context
        .getClassDescriptors()
        .sort(
            Comparator.comparing(
                d ->
                    d.findAnnotation(UsesLocalStack.class)
                        .map(UsesLocalStack::isolated)
                        .orElse(false)));
  }
}
