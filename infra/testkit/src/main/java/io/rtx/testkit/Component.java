package io.rtx.testkit;

/** A process of the local stack, named as {@code ./rtx up} names it. */
public enum Component {
  POSTGRES, REDIS, KAFKA, REGISTRY, CONNECT;

  String rtxName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
