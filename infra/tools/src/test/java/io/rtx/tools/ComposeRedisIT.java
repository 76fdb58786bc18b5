package io.rtx.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * docker-compose's Redis entry point, {@code infra/docker/redis.sh}, run with this machine's
 * redis-server (the image's version): the ACL it writes from the environment lets nobody in without
 * a password, gives each user its rules, and leaves a user whose password is empty off.
 */
class ComposeRedisIT {

  private static final Path REPO = ReadmeTest.findRepo();

  @Test
  void theUsersAreTheNativeStacksAndAnEmptyPasswordLeavesItsUserOff(@TempDir Path tmp)
      throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ProcessBuilder pb =
        new ProcessBuilder(
                List.of(
                    "sh",
                    REPO.resolve("infra/docker/redis.sh").toString(),
                    "--port",
                    Integer.toString(port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--dir",
                    tmp.toString()))
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("redis.log").toFile());
    pb.environment()
        .putAll(
            Map.of(
                "TMPDIR", tmp.toString(),
                "RTX_REDIS_QUOTES_PASSWORD", "quotes-secret",
                "RTX_REDIS_ORDERS_PASSWORD", "orders-secret",
                "RTX_REDIS_READER_PASSWORD", "reader-secret",
                "RTX_REDIS_EXPORTER_PASSWORD", "exporter-secret",
                "RTX_REDIS_ADMIN_PASSWORD", ""));
    Process redis = pb.start();
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(() -> "PONG".equals(as(port, "rtx-reader", "reader-secret").ping()));
      assertThat(
              PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(tmp.resolve("redis.acl"))))
          .isEqualTo("rw-------");
      assertThat(Files.readString(tmp.resolve("redis.acl"))).doesNotContain("secret");

      try (Jedis anonymous = new Jedis("127.0.0.1", port)) {
        assertThatThrownBy(anonymous::ping).hasMessageContaining("NOAUTH");
      }
      assertThatThrownBy(() -> as(port, "rtx-admin", "")).isInstanceOf(JedisDataException.class);
      try (Jedis quotes = as(port, "rtx-quotes", "quotes-secret")) {
        quotes.hset("quote:EURUSD", Map.of("seq", "1"));
        assertThatThrownBy(() -> quotes.hset("account:A", Map.of("balance", "1")))
            .isInstanceOf(JedisAccessControlException.class);
      }
      try (Jedis orders = as(port, "rtx-orders", "orders-secret")) {
        orders.hset("account:A", Map.of("balance", "1"));
      }
      try (Jedis reader = as(port, "rtx-reader", "reader-secret")) {
        assertThat(reader.hget("quote:EURUSD", "seq")).isEqualTo("1");
        assertThatThrownBy(() -> reader.del("quote:EURUSD"))
            .isInstanceOf(JedisAccessControlException.class);
      }
      try (Jedis exporter = as(port, "rtx-exporter", "exporter-secret")) {
        assertThat(exporter.info("server")).contains("redis_version");
      }
    } finally {
      redis.destroy();
      redis.waitFor();
    }
  }

  private static Jedis as(int port, String user, String password) {
    Jedis j =
        new Jedis(
            new HostAndPort("127.0.0.1", port),
            DefaultJedisClientConfig.builder().user(user).password(password).build());
    try {
      j.ping();
    } catch (RuntimeException e) {
      j.close();
      throw e;
    }
    return j;
  }
}
