package io.rtx.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void escapesQuotesBackslashesAndControlCharactersLeavesTheRest() {
    assertThat(Json.string("A\"B\\C\n\t" + (char) 1 + "é/"))
        .isEqualTo("\"A\\\"B\\\\C\\u000a\\u0009\\u0001é/\"");
  }
}
