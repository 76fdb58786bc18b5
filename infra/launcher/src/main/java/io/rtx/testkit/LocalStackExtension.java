package io.rtx.testkit;

import io.rtx.launcher.Stack;
import io.rtx.schemas.Component;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test class its {@link LocalStack}: the shared one, grown to what each class asks for
 * and closed when the run ends, or an isolated one closed after the class.
 */
public final class LocalStackExtension implements BeforeAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(LocalStackExtension.class);

  /**
   * The isolated stacks' own namespace: a class's store looks up its parents' too, so under the
   * shared stack's key an isolated class would find the shared stack once one exists.
   */
  private static final ExtensionContext.Namespace ISOLATED =
      ExtensionContext.Namespace.create(LocalStackExtension.class, "isolated");

  @Override
  public void beforeAll(ExtensionContext context) {
    UsesLocalStack uses = annotation(context);
    stack(context).ensure(uses == null ? List.of() : List.of(uses.value()));
  }

  private static UsesLocalStack annotation(ExtensionContext context) {
    return context.getRequiredTestClass().getAnnotation(UsesLocalStack.class);
  }

  private static LocalStack stack(ExtensionContext context) {
    UsesLocalStack uses = annotation(context);
    if (uses != null && uses.isolated()) {
      // The class's own store: closed (stack killed and wiped) when the class is done.
      ExtensionContext classContext =
          context.getTestClass().isPresent() && context.getTestMethod().isPresent()
              ? context.getParent().orElseThrow()
              : context;
      return classContext
          .getStore(ISOLATED)
          .getOrComputeIfAbsent(
              classContext.getRequiredTestClass(),
              k -> {
                if (Stack.withNeeds(List.of(uses.value())).contains(Component.KAFKA)) {
                  LocalStack.stopShared();
                }
                return LocalStack.isolated(uses.brokers(), uses.instances());
              },
              LocalStack.class);
    }
    return context
        .getRoot()
        .getStore(NS)
        .getOrComputeIfAbsent(LocalStack.class, k -> LocalStack.shared(), LocalStack.class);
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
