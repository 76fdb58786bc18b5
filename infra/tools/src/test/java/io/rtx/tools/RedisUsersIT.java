package io.rtx.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtx.launcher.RedisUser;
import io.rtx.schemas.Component;
import io.rtx.testkit.LocalStack;
import io.rtx.testkit.UsesLocalStack;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisDataException;

/** The stack's Redis: no way in without a password, and each user only its service's work. */
@UsesLocalStack({Component.REDIS})
class RedisUsersIT {

  private static final String QUOTE = "quote:RTXACLTEST";
  private static final String ACCOUNT = "account:RTXACLTEST";

  private final LocalStack stack;

  RedisUsersIT(LocalStack stack) {
    this.stack = stack;
  }

  @AfterEach
  void tearDown() {
    try (Jedis admin = as(RedisUser.ADMIN)) {
      admin.del(QUOTE, ACCOUNT);
    }
  }

  @Test
  void nobodyGetsInWithoutTheRightPassword() {
    URI reader = stack.redisUri(RedisUser.READER);
    try (Jedis anonymous = new Jedis(reader.getHost(), reader.getPort())) {
      assertThatThrownBy(anonymous::ping)
          .isInstanceOf(JedisDataException.class)
          .hasMessageContaining("NOAUTH");
    }
    try (Jedis anonymous = new Jedis(reader.getHost(), reader.getPort())) {
      assertThatThrownBy(() -> anonymous.auth("default", ""))
          .isInstanceOf(JedisDataException.class);
      assertThatThrownBy(() -> anonymous.auth(RedisUser.ADMIN.userName(), "not-the-password"))
          .isInstanceOf(JedisDataException.class);
    }
  }

  @Test
  void eachUserDoesOnlyItsServicesWork() {
    try (Jedis quotes = as(RedisUser.QUOTES)) {
      quotes.hset(QUOTE, Map.of("seq", "1"));
      denied(() -> quotes.hset(ACCOUNT, Map.of("balance", "1")));
      denied(() -> quotes.publish("elsewhere", "{}"));
      denied(quotes::flushAll);
    }
    try (Jedis orders = as(RedisUser.ORDERS)) {
      orders.hset(ACCOUNT, Map.of("balance", "1"));
      denied(() -> orders.hset(QUOTE, Map.of("seq", "2")));
      denied(() -> orders.publish("quotes:RTXACLTEST", "{}"));
    }
    try (Jedis reader = as(RedisUser.READER)) {
      assertThat(reader.hget(QUOTE, "seq")).isEqualTo("1");
      assertThat(reader.hget(ACCOUNT, "balance")).isEqualTo("1");
      denied(() -> reader.hset(QUOTE, Map.of("seq", "3")));
      denied(() -> reader.del(ACCOUNT));
      denied(() -> reader.publish("quotes:RTXACLTEST", "{}"));
    }
    try (Jedis exporter = as(RedisUser.EXPORTER)) {
      assertThat(exporter.info("server")).contains("redis_version");
      denied(() -> exporter.hget(QUOTE, "seq"));
    }
  }

  private Jedis as(RedisUser user) {
    return new Jedis(stack.redisUri(user));
  }

  private static void denied(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOf(JedisAccessControlException.class)
        .hasMessageContaining("NOPERM");
  }
}
