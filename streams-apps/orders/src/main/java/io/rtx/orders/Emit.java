package io.rtx.orders;

/**
 * One output of the order path's processors, bound for the topic its {@link Kind} names: the
 * processors change several topics at once, in the same transaction.
 */
public record Emit(Kind kind, String key, Object value) {

  public enum Kind {
    DECISION,
    POSITION,
    BALANCE,
    LEDGER,
    EXECUTION,
    /** An execution that cannot be applied, bound for the dead-letter topic with its reason. */
    DEAD_EXECUTION
  }
}
