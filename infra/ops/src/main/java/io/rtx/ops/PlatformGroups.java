package io.rtx.ops;

import io.rtx.launcher.ConnectClient;
import io.rtx.launcher.StackException;
import io.rtx.schemas.Component;
import io.rtx.schemas.Names;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;

/**
 * The platform's consumer groups: each Streams app's application id ({@link Component}) and the
 * group of each sink connector ({@link Names#sinkGroup}), the sinks as the Connect worker lists
 * them or, when it cannot be reached, every {@code connect-*} group the cluster knows.
 */
public final class PlatformGroups {

  private PlatformGroups() {}

  /** The Streams apps' groups, in {@link Component} order. */
  public static List<String> apps() {
    return Arrays.stream(Component.values())
        .map(Component::applicationId)
        .flatMap(Optional::stream)
        .toList();
  }

  /** The apps' groups, then the sinks' groups, sorted. */
  public static List<String> of(Admin admin, Optional<ConnectClient> connect)
      throws ExecutionException, InterruptedException {
    List<String> groups = new ArrayList<>(apps());
    Optional<List<String>> sinks = connect.flatMap(PlatformGroups::sinkConnectors);
    if (sinks.isPresent()) {
      sinks.get().stream().map(Names::sinkGroup).sorted().forEach(groups::add);
    } else {
      TreeSet<String> found = new TreeSet<>();
      for (GroupListing g : admin.listGroups(ListGroupsOptions.forConsumerGroups()).all().get()) {
        if (g.groupId().startsWith(Names.sinkGroup(""))) {
          found.add(g.groupId());
        }
      }
      groups.addAll(found);
    }
    return groups;
  }

  /** The sink connectors Connect runs; empty when the worker cannot be reached. */
  static Optional<List<String>> sinkConnectors(ConnectClient connect) {
    try {
      return Optional.of(
          connect.states().stream()
              .filter(c -> c.type().equals("sink"))
              .map(ConnectClient.ConnectorState::name)
              .toList());
    } catch (StackException e) {
      return Optional.empty();
    }
  }
}
