package io.rtx.ops;

import io.rtx.launcher.ConnectClient.ConnectorState;
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

  /**
   * The apps' groups, then the sinks' groups, sorted.
   *
   * @param connectors the Connect worker's connectors as the caller read them; empty when the
   *     worker could not be read (then every {@code connect-*} group of the cluster counts)
   */
  public static List<String> of(Admin admin, Optional<List<ConnectorState>> connectors)
      throws ExecutionException, InterruptedException {
    List<String> groups = new ArrayList<>(apps());
    if (connectors.isPresent()) {
      connectors.get().stream()
          .filter(c -> c.type().equals("sink"))
          .map(c -> Names.sinkGroup(c.name()))
          .sorted()
          .forEach(groups::add);
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
}
