package io.rtx.testkit;

import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One {@link LocalStack} per test JVM, grown to what each test class asks for, closed when the run
 * ends.
 */
public final class LocalStackExtension implements BeforeAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(LocalStackExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    UsesLocalStack uses = context.getRequiredTestClass().getAnnotation(UsesLocalStack.class);
    stack(context).ensure(uses == null ? List.of() : List.of(uses.value()));
  }

  private static LocalStack stack(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NS)
        .getOrComputeIfAbsent(
            LocalStack.class,
            k -> {
              try {
                return LocalStack.create();
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            },
            LocalStack.class);
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    return p.getParameter().getType() == LocalStack.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    return stack(e);
  }
}
