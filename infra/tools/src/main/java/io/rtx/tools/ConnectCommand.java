package io.rtx.tools;

import io.rtx.launcher.ConnectClient;
import io.rtx.launcher.ReplicationSlots;
import io.rtx.launcher.Stack;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ./rtx connect …}: the connectors, for the people who run them (Connect REST API). */
@Command(
    name = "connect",
    description = "Manage connectors on $RTX_CONNECT_URL (default: the local worker).",
    subcommands = {ConnectCommand.Delete.class})
final class ConnectCommand implements Runnable {

  @Override
  public void run() {
    throw new IllegalArgumentException("usage: ./rtx connect delete NAME");
  }

  static ConnectClient client(Stack stack) {
    return new ConnectClient(
        System.getenv().getOrDefault("RTX_CONNECT_URL", stack.settings().connectUrl()));
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a connector; a Debezium source's replication slot is dropped with it.")
  static final class Delete implements Callable<Integer> {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      Stack stack = Rtx.stack();
      Optional<String> slot = client(stack).delete(name);
      System.out.println("connector " + name + " deleted");
      if (slot.isPresent()) {
        new ReplicationSlots(stack.settings()).drop(slot.get(), Duration.ofSeconds(30));
        System.out.println("slot      " + slot.get() + " dropped (it would hold WAL forever)");
      }
      return 0;
    }
  }
}
