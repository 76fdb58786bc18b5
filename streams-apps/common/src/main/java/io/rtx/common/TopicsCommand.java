package io.rtx.common;

import io.rtx.schemas.TopicCatalog;
import io.rtx.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;

/**
 * {@code ./rtx topics}: applies the topic catalog to the cluster in {@code
 * kafka.bootstrap.servers}.
 */
public final class TopicsCommand {

  private TopicsCommand() {}

  public static void main(String[] args) {
    Settings settings = Settings.load("topics", args);
    try (Admin admin = Admin.create(settings.withPrefix("kafka."))) {
      TopicCatalog.Result r =
          TopicCatalog.apply(
              admin, Topics.ALL, (short) settings.getInt("topics.replication.factor"));
      System.out.printf(
          "topics    %d in catalog: %d created, %d altered, %d unchanged%n",
          Topics.ALL.size(),
          r.created().size(),
          r.altered().size(),
          Topics.ALL.size() - r.created().size() - r.altered().size());
      r.warnings().forEach(w -> System.out.println("topics    warning: " + w));
    }
  }
}
