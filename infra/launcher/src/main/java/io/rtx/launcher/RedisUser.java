package io.rtx.launcher;

/**
 * The local stack's Redis users, each allowed only the keys, channels and commands its service uses
 * (Redis ACL; README, "Redis users"). Nobody gets in without a password: the default user is off.
 * Passwords are in the stack's secrets.
 */
public enum RedisUser {
  /** The quotes app: writes {@code quote:*} and publishes on {@code quotes:*}, its fill marker. */
  QUOTES(
      "rtx-quotes",
      "~quote:* ~rtx:quote-cache:* resetchannels &quotes:* -@all +@connection +eval +evalsha"
          + " +hget +hgetall +hset +hdel +get +set +publish +psubscribe +punsubscribe"),
  /** The orders app's account cache: {@code account:*}, {@code position:*}, its markers. */
  ORDERS(
      "rtx-orders",
      "~account:* ~position:* ~rtx:account-cache:* resetchannels -@all +@connection +eval"
          + " +evalsha +hget +hset +get +mget +set"),
  /** Read-only: the ops service, the tools (demo, bench) and the tests' checks. */
  READER(
      "rtx-reader",
      "~* resetchannels &* -@all +@connection +@read +psubscribe +punsubscribe +subscribe"
          + " +unsubscribe +pubsub"),
  /** The Prometheus exporter: server statistics, no key. */
  EXPORTER(
      "rtx-exporter",
      "resetchannels -@all +@connection +info +config|get +slowlog|get +slowlog|len"
          + " +latency|latest +client|list +dbsize"),
  /** Everything, for an operator (and tests that empty Redis); no service uses it. */
  ADMIN("rtx-admin", "~* &* +@all");

  private final String userName;
  private final String rules;

  RedisUser(String userName, String rules) {
    this.userName = userName;
    this.rules = rules;
  }

  public String userName() {
    return userName;
  }

  /** Its ACL rules, password aside. */
  public String rules() {
    return rules;
  }
}
