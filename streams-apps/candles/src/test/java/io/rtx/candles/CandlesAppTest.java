package io.rtx.candles;

import static io.rtx.candles.Ticks.tick;
import static io.rtx.candles.Ticks.trade;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtx.common.HttpError;
import io.rtx.common.Request;
import io.rtx.common.Response;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET /candles} as this instance answers it, on the topology's own stores. */
class CandlesAppTest {

  private static final Instant T = Instant.parse("2026-11-26T10:00:00Z");

  private final CandleDriver candles = new CandleDriver(CandleSettings.defaults());
  private final CandleQueries queries =
      new CandleQueries(
          candles.settings,
          candles.driver::getWindowStore,
          Clock.fixed(T.plusSeconds(30), ZoneOffset.UTC));

  @AfterEach
  void close() {
    candles.close();
  }

  private Response get(String target) {
    return CandlesApp.latest(Request.get(target), candles.settings, queries);
  }

  @Test
  void answersTheLatestCandlesNewestFirstInTheDocumentedJson() {
    candles.pipe(
        trade("EURUSD", 1, T.plusMillis(100), "1.1", "1.10005", "250000"),
        tick("EURUSD", 2, T.plusMillis(6_100), "1.08250001"),
        tick("EURUSD", 3, T.plusMillis(6_200), "1.3"));

    Response r = get("/candles?symbol=EURUSD&interval=1s&limit=2");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).isEqualTo("application/json");
    assertThat(r.bodyText())
        .isEqualTo(
            "[{\"symbol\":\"EURUSD\",\"interval\":\"1s\",\"bucket_start\":\"2026-11-26T10:00:06Z\","
                + "\"open\":\"1.08250001\",\"high\":\"1.30000000\",\"low\":\"1.08250001\","
                + "\"close\":\"1.30000000\",\"volume\":\"0.00000000\",\"tick_count\":2,"
                + "\"final\":false},"
                + "{\"symbol\":\"EURUSD\",\"interval\":\"1s\",\"bucket_start\":\"2026-11-26T10:00:00Z\","
                + "\"open\":\"1.10000000\",\"high\":\"1.10000000\",\"low\":\"1.10000000\","
                + "\"close\":\"1.10000000\",\"volume\":\"250000.00000000\",\"tick_count\":1,"
                + "\"final\":true}]");
    assertThat(get("/candles?symbol=EURUSD&interval=1s").bodyText())
        .startsWith("[{")
        .contains("},{");
    assertThat(get("/candles?symbol=GBPUSD&interval=1m").bodyText()).isEqualTo("[]");
  }

  @Test
  void badParametersAre400sNamingThem() {
    assertThatThrownBy(() -> get("/candles?interval=1m"))
        .isInstanceOf(HttpError.class)
        .hasMessage("query parameter symbol is required");
    assertThatThrownBy(() -> get("/candles?symbol=EURUSD"))
        .isInstanceOf(HttpError.class)
        .hasMessage("query parameter interval is required");
    assertThatThrownBy(() -> get("/candles?symbol=EURUSD&interval=2m"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown interval 2m; configured: [1s, 1m, 5m, 15m, 1h, 1d]");
    for (String limit : new String[] {"0", "501", "ten", "-1"}) {
      assertThatThrownBy(() -> get("/candles?symbol=EURUSD&interval=1m&limit=" + limit))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("limit must be 1..500");
    }
  }
}
