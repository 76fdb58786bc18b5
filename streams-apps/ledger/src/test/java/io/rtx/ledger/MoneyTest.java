package io.rtx.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MoneyTest {

  private static final Currency USD = new Currency("USD", 2);
  private static final Currency JPY = new Currency("JPY", 0);
  private static final Currency BTC = new Currency("BTC", 8);

  @Test
  void plainDecimalsAreReadExactly() {
    assertThat(Money.parse("100")).isEqualByComparingTo("100").hasToString("100");
    assertThat(Money.parse("100.5")).hasToString("100.5");
    assertThat(Money.parse("0.01")).hasToString("0.01");
    assertThat(Money.parse("-12.30")).hasToString("-12.30");
    // 20 integer digits: the most the ledger's numeric(28, 8) holds
    assertThat(Money.parse("99999999999999999999.99999999"))
        .hasToString("99999999999999999999.99999999");
    // exact where a double is not
    assertThat(Money.parse("0.1").add(Money.parse("0.2"))).hasToString("0.3");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " 100",
        "100 ",
        "abc",
        "1e3",
        "1E+3",
        "+5",
        "1.",
        ".5",
        "1,000.00",
        "0x10",
        "NaN",
        "Infinity",
        "--1",
        "100000000000000000000"
      })
  void anythingElseIsRefusedSayingWhatAnAmountLooksLike(String text) {
    assertThatThrownBy(() -> Money.parse(text))
        .isInstanceOf(Refused.class)
        .hasMessage(
            "amount '"
                + text
                + "' is not a decimal number like 100, 100.5 or 0.01 (at most 20 digits before the"
                + " point)");
  }

  @Test
  void noAmountIsRefused() {
    assertThatThrownBy(() -> Money.parse(null)).isInstanceOf(Refused.class);
  }

  @Test
  void depositsAndWithdrawalsArePositive() {
    assertThat(Money.positive("0.01")).hasToString("0.01");
    assertThatThrownBy(() -> Money.positive("0"))
        .isInstanceOf(Refused.class)
        .hasMessage("amount must be positive, got 0");
    assertThatThrownBy(() -> Money.positive("0.00"))
        .hasMessage("amount must be positive, got 0.00");
    assertThatThrownBy(() -> Money.positive("-5")).hasMessage("amount must be positive, got -5");
  }

  @Test
  void adjustmentsHaveEitherSignButAreNotZero() {
    assertThat(Money.nonZero("-5.25")).hasToString("-5.25");
    assertThat(Money.nonZero("5")).hasToString("5");
    assertThatThrownBy(() -> Money.nonZero("-0.0"))
        .isInstanceOf(Refused.class)
        .hasMessage("amount must not be zero");
  }

  @Test
  void anAmountHasNoMoreDecimalsThanItsCurrency() {
    assertThat(Money.in(new BigDecimal("100.5"), USD)).hasToString("100.50");
    assertThat(Money.in(new BigDecimal("100"), USD)).hasToString("100.00");
    // trailing zeros are not decimals: 1.500 is exactly 1.50
    assertThat(Money.in(new BigDecimal("1.500"), USD)).hasToString("1.50");
    assertThat(Money.in(new BigDecimal("5000"), JPY)).hasToString("5000");
    assertThat(Money.in(new BigDecimal("0.00000001"), BTC).toPlainString()).isEqualTo("0.00000001");

    assertThatThrownBy(() -> Money.in(new BigDecimal("0.001"), USD))
        .isInstanceOf(Refused.class)
        .hasMessage("amount 0.001 has more decimals than USD allows (2)");
    assertThatThrownBy(() -> Money.in(new BigDecimal("1.5"), JPY))
        .hasMessage("amount 1.5 has more decimals than JPY allows (0)");
    assertThatThrownBy(() -> Money.in(new BigDecimal("0.000000001"), BTC))
        .hasMessage("amount 0.000000001 has more decimals than BTC allows (8)");
  }

  @Test
  void amountsAreWrittenAtTheirCurrencysScale() {
    assertThat(Money.format(new BigDecimal("100000.00000000"), USD)).isEqualTo("100000.00");
    assertThat(Money.format(new BigDecimal("-3.10000000"), USD)).isEqualTo("-3.10");
    assertThat(Money.format(new BigDecimal("5000.00000000"), JPY)).isEqualTo("5000");
  }

  @Test
  void aCurrencyIsThreeCapitalLettersWithZeroToEightDecimals() {
    assertThatThrownBy(() -> new Currency("usd", 2))
        .isInstanceOf(Refused.class)
        .hasMessage("a currency code is three capital letters, got 'usd'");
    assertThatThrownBy(() -> new Currency("USD", 9))
        .hasMessage("USD: decimals must be 0..8, got 9");
  }
}
