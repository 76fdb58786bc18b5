package io.rtx.common;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Hides the values of secret settings before a config is shown (a connector's, or an app's settings
 * in its start-up log): passwords, secrets, credentials, tokens, JAAS configs (which carry
 * passwords) and key material (private keys, keystores), and the password in a URL's user info
 * ({@code redis://:pw@host}). A setting merely about keys, such as {@code key.converter}, is shown.
 */
public final class ConfigMask {

  public static final String MASK = "******";

  /** The user info's password of a URL: {@code scheme://user:PASSWORD@host}. */
  private static final Pattern URL_PASSWORD = Pattern.compile("(://[^:/@\\s]*:)[^@/\\s]+@");

  private static final Pattern SECRET =
      Pattern.compile(
          "password|passwd|secret|credential|token|jaas\\.config"
              + "|private\\.key|keystore\\.key|ssl\\.key(\\.|$)|api\\.key|access\\.key"
              + "|(^|\\.)(certificate|key)\\.(pem|chain)");

  private ConfigMask() {}

  public static boolean isSecret(String key) {
    return SECRET.matcher(key.toLowerCase(Locale.ROOT)).find();
  }

  /** The config with every secret value replaced by {@value #MASK}, in the same order. */
  public static Map<String, String> mask(Map<String, String> config) {
    Map<String, String> shown = new LinkedHashMap<>();
    config.forEach(
        (k, v) ->
            shown.put(
                k,
                isSecret(k)
                    ? MASK
                    : v == null ? null : URL_PASSWORD.matcher(v).replaceAll("$1" + MASK + "@")));
    return shown;
  }
}
