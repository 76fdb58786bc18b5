package io.rtx.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

  @Test
  void stampsACopyWithOneReasonDetailAndApp() {
    Headers original =
        new RecordHeaders()
            .add("trace-id", bytes("t-1"))
            .add(DeadLetters.REASON, bytes("stale"))
            .add(DeadLetters.APP, bytes("other"));

    Headers stamped =
        DeadLetters.stamped(original, "quotes", TickRules.INVALID_TICK, "ask 1 is below bid 2");

    assertThat(Arrays.stream(stamped.toArray()).map(h -> h.key() + "=" + text(h)))
        .containsExactly(
            "trace-id=t-1",
            "rtx.error.reason=INVALID_TICK",
            "rtx.error.detail=ask 1 is below bid 2",
            "rtx.error.app=quotes");
    assertThat(original.toArray()).hasSize(3); // the record's own headers are left alone
  }

  @Test
  void setReplacesEveryEarlierValue() {
    Headers headers =
        new RecordHeaders().add("rtx.late.by.ms", bytes("1")).add("rtx.late.by.ms", bytes("2"));
    DeadLetters.set(headers, "rtx.late.by.ms", "0");
    assertThat(headers.headers("rtx.late.by.ms"))
        .extracting(DeadLettersTest::text)
        .containsExactly("0");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(Header h) {
    return new String(h.value(), StandardCharsets.UTF_8);
  }
}
