package io.rtx.tools;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Hides the values of secret settings before a connector config is shown: passwords, secrets,
 * credentials, tokens, JAAS configs (which carry passwords) and key material (private keys,
 * keystores). A setting merely about keys, such as {@code key.converter}, is shown.
 */
final class ConfigMask {

  static final String MASK = "******";

  private static final Pattern SECRET =
      Pattern.compile(
          "password|passwd|secret|credential|token|jaas\\.config"
              + "|private\\.key|keystore\\.key|ssl\\.key(\\.|$)|api\\.key|access\\.key"
              + "|(^|\\.)(certificate|key)\\.(pem|chain)");

  private ConfigMask() {}

  static boolean isSecret(String key) {
    return SECRET.matcher(key.toLowerCase(Locale.ROOT)).find();
  }

  /** The config with every secret value replaced by {@value #MASK}, in the same order. */
  static Map<String, String> mask(Map<String, String> config) {
    Map<String, String> shown = new LinkedHashMap<>();
    config.forEach((k, v) -> shown.put(k, isSecret(k) ? MASK : v));
    return shown;
  }
}
