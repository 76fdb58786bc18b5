package io.rtx.tools;

import io.rtx.launcher.Secrets;
import io.rtx.launcher.StackSettings;
import io.rtx.ledger.Pii;
import java.nio.file.Path;
import java.util.Map;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Where {@code ./rtx ledger} and {@code ./rtx seed} connect: {@code RTX_BACKOFFICE_JDBC_URL} (with
 * {@code _USER}, default {@code rtx_backoffice}, and {@code _PASSWORD}) when set, else the local
 * stack as {@code rtx_backoffice} with the password from its secrets. The PII key is the file
 * {@code RTX_PII_KEY_FILE} names, else the local stack's.
 */
final class BackOfficeDatabase {

  static final String URL = "RTX_BACKOFFICE_JDBC_URL";
  static final String USER = "RTX_BACKOFFICE_JDBC_USER";
  static final String PASSWORD = "RTX_BACKOFFICE_JDBC_PASSWORD";

  private BackOfficeDatabase() {}

  static DataSource dataSource(Map<String, String> env, StackSettings stack) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    String url = env.get(URL);
    if (url != null && !url.isBlank()) {
      ds.setURL(url);
      ds.setUser(env.getOrDefault(USER, Secrets.Role.BACKOFFICE.roleName()));
      ds.setPassword(env.get(PASSWORD));
    } else {
      ds.setURL(stack.jdbcUrl());
      ds.setUser(Secrets.Role.BACKOFFICE.roleName());
      ds.setPassword(stack.secrets().password(Secrets.Role.BACKOFFICE));
    }
    ds.setApplicationName("rtx back office");
    return ds;
  }

  static Pii pii(Map<String, String> env, StackSettings stack) {
    String file = env.get(Pii.KEY_FILE);
    if (file != null && !file.isBlank()) {
      return Pii.fromFile(Path.of(file));
    }
    String url = env.get(URL);
    if (url != null && !url.isBlank()) {
      // the local stack's key would seal another database's users with a key it does not know
      throw new IllegalArgumentException(
          Pii.KEY_FILE + " must name the file holding the PII key when " + URL + " is set");
    }
    return Pii.fromKey(stack.secrets().piiKey());
  }
}
