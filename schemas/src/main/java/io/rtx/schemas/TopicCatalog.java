package io.rtx.schemas;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the topic catalog to a cluster, idempotently: creates missing topics and sets the configs
 * a spec pins where they differ. It never deletes a topic and never changes a partition count (that
 * would move keys between partitions under running state stores); a count that differs is reported.
 */
public final class TopicCatalog {

  private static final Logger log = LoggerFactory.getLogger(TopicCatalog.class);

  /** What one application of the catalog did. */
  public record Result(
      List<String> created, Map<String, Map<String, String>> altered, List<String> warnings) {
    public boolean changedAnything() {
      return !created.isEmpty() || !altered.isEmpty();
    }
  }

  private TopicCatalog() {}

  /**
   * Applies the whole catalog ({@link Topics#ALL}) with a client of {@code adminConfig}, and says
   * what it did in one line (and one per warning): {@code ./rtx topics} and {@code ./rtx up}.
   */
  public static Result applyAll(
      Properties adminConfig, short replicationFactor, Consumer<String> progress) {
    try (Admin admin = Admin.create(adminConfig)) {
      Result r = apply(admin, Topics.ALL, replicationFactor);
      progress.accept(
          String.format(
              "topics    %d in catalog: %d created, %d altered, %d unchanged",
              Topics.ALL.size(),
              r.created().size(),
              r.altered().size(),
              Topics.ALL.size() - r.created().size() - r.altered().size()));
      r.warnings().forEach(w -> progress.accept("topics    warning: " + w));
      return r;
    }
  }

  public static Result apply(
      Admin admin, Collection<TopicSpec<?, ?>> specs, short replicationFactor) {
    try {
      return doApply(admin, specs, replicationFactor);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while applying the topic catalog", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "could not apply the topic catalog: " + e.getCause().getMessage(), e.getCause());
    }
  }

  private static Result doApply(
      Admin admin, Collection<TopicSpec<?, ?>> specs, short replicationFactor)
      throws InterruptedException, ExecutionException {
    Set<String> existing = admin.listTopics().names().get();
    Map<Boolean, List<TopicSpec<?, ?>>> byPresence =
        specs.stream().collect(Collectors.partitioningBy(s -> existing.contains(s.name())));
    List<TopicSpec<?, ?>> present = byPresence.get(true);

    List<String> created = createMissing(admin, byPresence.get(false), replicationFactor);
    List<String> warnings = List.of();
    Map<String, Map<String, String>> altered = Map.of();
    if (!present.isEmpty()) {
      List<String> names = present.stream().map(TopicSpec::name).toList();
      warnings =
          partitionCountsThatDiffer(present, admin.describeTopics(names).allTopicNames().get());
      altered = configsThatDiffer(present, describeConfigs(admin, names));
      alter(admin, altered);
    }

    Result result = new Result(created, altered, warnings);
    if (result.changedAnything()) {
      log.info(
          "topic catalog applied: created={} altered={} unchanged={}",
          created,
          altered.keySet(),
          specs.size() - created.size() - altered.size());
    }
    warnings.forEach(w -> log.warn("topic catalog: {}", w));
    return result;
  }

  /** Creates the topics of {@code missing}; returns those this call created. */
  private static List<String> createMissing(
      Admin admin, List<TopicSpec<?, ?>> missing, short replicationFactor)
      throws InterruptedException, ExecutionException {
    List<String> created = new ArrayList<>();
    if (missing.isEmpty()) {
      return created;
    }
    List<NewTopic> topics =
        missing.stream()
            .map(
                s ->
                    new NewTopic(
                            s.name(), Optional.of(s.partitions()), Optional.of(replicationFactor))
                        .configs(s.configs()))
            .toList();
    for (var e : admin.createTopics(topics).values().entrySet()) {
      try {
        e.getValue().get();
        created.add(e.getKey());
      } catch (ExecutionException ex) {
        if (!(ex.getCause() instanceof TopicExistsException)) {
          throw ex; // created concurrently by another instance is fine; anything else is not
        }
      }
    }
    return created;
  }

  /** One warning per topic whose partition count is not the catalog's; it is never changed. */
  static List<String> partitionCountsThatDiffer(
      List<TopicSpec<?, ?>> present, Map<String, TopicDescription> descriptions) {
    List<String> warnings = new ArrayList<>();
    for (TopicSpec<?, ?> spec : present) {
      int actual = descriptions.get(spec.name()).partitions().size();
      if (actual != spec.partitions()) {
        warnings.add(
            spec.name()
                + " has "
                + actual
                + " partitions, the catalog says "
                + spec.partitions()
                + " (left as is)");
      }
    }
    return warnings;
  }

  /** Per topic, the configs the catalog pins whose value on the cluster is not the pinned one. */
  static Map<String, Map<String, String>> configsThatDiffer(
      List<TopicSpec<?, ?>> present, Map<ConfigResource, Config> configs) {
    Map<String, Map<String, String>> altered = new HashMap<>();
    for (TopicSpec<?, ?> spec : present) {
      Config current = configs.get(topic(spec.name()));
      Map<String, String> changes = new HashMap<>();
      spec.configs()
          .forEach(
              (key, wanted) -> {
                ConfigEntry entry = current.get(key);
                if (entry == null || !sameValue(key, entry.value(), wanted)) {
                  changes.put(key, wanted);
                }
              });
      if (!changes.isEmpty()) {
        altered.put(spec.name(), changes);
      }
    }
    return altered;
  }

  /** Sets the given configs, topic by topic, in one request. */
  private static void alter(Admin admin, Map<String, Map<String, String>> altered)
      throws InterruptedException, ExecutionException {
    if (altered.isEmpty()) {
      return;
    }
    Map<ConfigResource, Collection<AlterConfigOp>> ops = new HashMap<>();
    altered.forEach(
        (name, changes) ->
            ops.put(
                topic(name),
                changes.entrySet().stream()
                    .map(
                        c ->
                            new AlterConfigOp(
                                new ConfigEntry(c.getKey(), c.getValue()),
                                AlterConfigOp.OpType.SET))
                    .toList()));
    admin.incrementalAlterConfigs(ops).all().get();
  }

  private static Map<ConfigResource, Config> describeConfigs(Admin admin, List<String> names)
      throws InterruptedException, ExecutionException {
    return admin.describeConfigs(names.stream().map(TopicCatalog::topic).toList()).all().get();
  }

  private static ConfigResource topic(String name) {
    return new ConfigResource(ConfigResource.Type.TOPIC, name);
  }

  private static boolean sameValue(String key, String actual, String wanted) {
    if (actual == null) {
      return false;
    }
    if (TopicConfig.CLEANUP_POLICY_CONFIG.equals(key)) {
      return policies(actual).equals(policies(wanted));
    }
    return actual.equals(wanted);
  }

  private static Set<String> policies(String value) {
    return Arrays.stream(value.split(","))
        .map(String::trim)
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
