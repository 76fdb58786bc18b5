package io.rtx.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InstrumentTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "EURUSD,GBPUSD|EURUSD GBPUSD",
        "eurusd, gbpusd|EURUSD GBPUSD",
        "CXFAILUSD|CXFAILUSD",
        "3|AUDUSD BTCUSD EURGBP"
      })
  void namesAndCountsPickInstruments(String spec, String symbols) {
    assertThat(Instrument.parse(spec))
        .extracting(Instrument::symbol)
        .containsExactly(symbols.split(" "));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "EURUSD,,GBPUSD|empty symbol",
        "EURUSD,|empty symbol",
        "','|empty symbol",
        "' '|empty symbol",
        "EURUSD,EURUSD|EURUSD is named twice",
        "EURUSD,eurusd|EURUSD is named twice",
        "EUR USD|not a symbol",
        "EURUSD;GBPUSD|not a symbol",
        "0|1..10000",
        "10001|1..10000",
        "99999999999999999999|1..10000"
      })
  void whatNamesNoInstrumentOrOneTwiceIsRefused(String spec, String message) {
    assertThatThrownBy(() -> Instrument.parse(spec))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
