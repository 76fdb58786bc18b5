package io.rtx.testkit;

/** A process of the local stack, named as {@code ./rtx up} names it. */
public enum Component {
  POSTGRES,
  REDIS,
  KAFKA,
  REGISTRY,
  CONNECT,
  /** The Streams apps; a module whose tests use them must build after them. */
  CANDLES,
  QUOTES;

  String rtxName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
