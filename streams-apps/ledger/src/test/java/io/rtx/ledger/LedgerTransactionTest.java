package io.rtx.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtx.ledger.LedgerTransaction.Entry;
import io.rtx.ledger.LedgerTransaction.Leg;
import io.rtx.schemas.LedgerEntryKind;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class LedgerTransactionTest {

  private static BigDecimal d(String s) {
    return new BigDecimal(s);
  }

  private static Map<String, BigDecimal> sumsPerCurrency(LedgerTransaction t) {
    Map<String, BigDecimal> sums = new TreeMap<>();
    t.legs().forEach(l -> sums.merge(l.currency(), l.amount(), BigDecimal::add));
    return sums;
  }

  @Test
  void aDepositCreditsTheClientAndDebitsTheHouse() {
    LedgerTransaction t =
        LedgerTransaction.againstHouse(
            "BO-1", LedgerEntryKind.DEPOSIT, "wire 42", "ACC-1", "HOUSE-USD", "USD", d("100.50"));

    assertThat(t.entries())
        .containsExactly(
            new Entry("BO-1:1", new Leg("ACC-1", "USD", d("100.50"))),
            new Entry("BO-1:2", new Leg("HOUSE-USD", "USD", d("-100.50"))));
    assertThat(sumsPerCurrency(t)).containsOnlyKeys("USD");
    assertThat(sumsPerCurrency(t).get("USD")).isEqualByComparingTo("0");
    assertThat(t.kind()).isEqualTo(LedgerEntryKind.DEPOSIT);
    assertThat(t.reference()).isEqualTo("wire 42");
  }

  @Test
  void aWithdrawalIsTheMirrorImage() {
    LedgerTransaction t =
        LedgerTransaction.againstHouse(
            "BO-2", LedgerEntryKind.WITHDRAWAL, null, "ACC-1", "HOUSE-USD", "USD", d("-40"));

    assertThat(t.legs())
        .containsExactly(new Leg("ACC-1", "USD", d("-40")), new Leg("HOUSE-USD", "USD", d("40")));
    assertThat(sumsPerCurrency(t).get("USD")).isEqualByComparingTo("0");
  }

  @Test
  void legsBalancePerCurrencyNotAcrossCurrencies() {
    // a conversion: each currency sums to zero on its own
    LedgerTransaction fx =
        new LedgerTransaction(
            "FX-1",
            LedgerEntryKind.TRADE,
            null,
            List.of(
                new Leg("ACC-1", "EUR", d("-100")),
                new Leg("HOUSE-EUR", "EUR", d("100")),
                new Leg("ACC-2", "USD", d("108.25")),
                new Leg("HOUSE-USD", "USD", d("-108.25"))));
    assertThat(sumsPerCurrency(fx).values()).allMatch(sum -> sum.signum() == 0);
    assertThat(fx.entries())
        .extracting(Entry::entryId)
        .containsExactly("FX-1:1", "FX-1:2", "FX-1:3", "FX-1:4");

    // the same total across currencies is not balanced
    assertThatThrownBy(
            () ->
                new LedgerTransaction(
                    "FX-2",
                    LedgerEntryKind.TRADE,
                    null,
                    List.of(new Leg("ACC-1", "EUR", d("-100")), new Leg("ACC-2", "USD", d("100")))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("FX-2 does not balance: EUR sums to -100");
  }

  @Test
  void anUnbalancedTransactionIsRefused() {
    assertThatThrownBy(
            () ->
                new LedgerTransaction(
                    "T-1",
                    LedgerEntryKind.ADJUSTMENT,
                    null,
                    List.of(
                        new Leg("ACC-1", "USD", d("100.00")),
                        new Leg("HOUSE-USD", "USD", d("-99.99")))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("T-1 does not balance: USD sums to 0.01");
  }

  @Test
  void aTransactionHasTwoLegsAtLeastAndNoneOfZero() {
    assertThatThrownBy(
            () ->
                new LedgerTransaction(
                    "T-1", LedgerEntryKind.DEPOSIT, null, List.of(new Leg("A", "USD", d("1")))))
        .hasMessage("a transaction has at least two legs");
    assertThatThrownBy(() -> new Leg("ACC-1", "USD", d("0.00")))
        .hasMessage("a leg of zero on ACC-1 books nothing");
  }

  @Test
  void idsLeaveRoomForTheEntryNumberAndHaveNoColon() {
    String longest = "A".repeat(120);
    assertThat(
            LedgerTransaction.againstHouse(
                    longest, LedgerEntryKind.DEPOSIT, null, "A", "H", "USD", d("1"))
                .entries()
                .get(1)
                .entryId())
        .hasSize(122);
    for (String bad : List.of("A".repeat(121), "a:b", "-a", "", "a b")) {
      assertThatThrownBy(
              () ->
                  LedgerTransaction.againstHouse(
                      bad, LedgerEntryKind.DEPOSIT, null, "A", "H", "USD", d("1")))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("not a transaction id: '" + bad + "'");
    }
  }
}
