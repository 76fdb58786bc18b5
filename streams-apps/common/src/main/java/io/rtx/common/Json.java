package io.rtx.common;

/**
 * The one JSON escape our hand-built messages and responses need: a quote and a backslash are
 * escaped with a backslash, every other character below U+0020 as its four-hex-digit unicode escape
 * (the minimal escape of RFC 8259), everything else is written as is.
 */
public final class Json {

  private Json() {}

  public static String string(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
