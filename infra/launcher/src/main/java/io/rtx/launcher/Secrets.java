package io.rtx.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The local stack's secrets: a password per database role and Redis user and the key that encrypts
 * personal data, generated at random the first time a home needs them and kept in {@code
 * conf/secrets.properties} (mode 600, never on a command line). {@code RTX_PG_PASSWORD} sets the
 * platform role's password instead. On a cluster of your own, give each service its password
 * through its own settings.
 */
public final class Secrets {

  /** The database roles of the platform besides the owner, and what each may do (README). */
  public enum Role {
    CDC("rtx_cdc"),
    SINK("rtx_sink"),
    BACKOFFICE("rtx_backoffice"),
    TRADER("rtx_trader"),
    READONLY("rtx_readonly"),
    /** PostgreSQL's metrics exporter: a member of pg_monitor, nothing else. */
    MONITOR("rtx_monitor");

    private final String roleName;

    Role(String roleName) {
      this.roleName = roleName;
    }

    public String roleName() {
      return roleName;
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String OWNER_KEY = "owner";
  private static final String PII_KEY = "pii.key";

  private final Map<String, String> values;

  private Secrets(Map<String, String> values) {
    this.values = values;
  }

  /** The secrets of the stack in {@code home}, generated (and saved) where missing. */
  public static synchronized Secrets of(Path home, String ownerPassword) {
    Path file = file(home);
    Map<String, String> v = new TreeMap<>(StackSettings.readProperties(file));
    boolean changed = false;
    if (ownerPassword != null && !ownerPassword.equals(v.get(OWNER_KEY))) {
      v.put(OWNER_KEY, ownerPassword);
      changed = true;
    }
    for (String key : keys()) {
      if (!v.containsKey(key)) {
        v.put(key, key.equals(PII_KEY) ? random(32) : random(18));
        changed = true;
      }
    }
    if (changed) {
      save(file, v);
    }
    return new Secrets(v);
  }

  private static Iterable<String> keys() {
    java.util.List<String> keys = new java.util.ArrayList<>(java.util.List.of(OWNER_KEY, PII_KEY));
    for (Role r : Role.values()) {
      keys.add(r.roleName());
    }
    for (RedisUser u : RedisUser.values()) {
      keys.add(redisKey(u));
    }
    return keys;
  }

  private static void save(Path file, Map<String, String> v) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.deleteIfExists(tmp);
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Properties p = new Properties();
      p.putAll(v);
      try (Writer w = Files.newBufferedWriter(tmp)) {
        p.store(
            w,
            "secrets of this stack: database and Redis passwords, the PII key; keep this file private");
      }
      Files.move(
          tmp,
          file,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Path file(Path home) {
    return home.resolve("conf").resolve("secrets.properties");
  }

  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** The platform (owner) role's password. */
  public String owner() {
    return values.get(OWNER_KEY);
  }

  public String password(Role role) {
    return values.get(role.roleName());
  }

  /** The password of a Redis user. */
  public String password(RedisUser user) {
    return values.get(redisKey(user));
  }

  private static String redisKey(RedisUser user) {
    return "redis." + user.userName();
  }

  /** The 256-bit key of personal data (users' email and phone), base64url. */
  public String piiKey() {
    return values.get(PII_KEY);
  }
}
