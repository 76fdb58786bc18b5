package io.rtx.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtx.ledger.ReferenceData.InstrumentSpec;
import io.rtx.tools.OrderFlow.Kind;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The order mix on its own, without any server. */
class OrderFlowTest {

  private static final List<Instrument> INSTRUMENTS =
      Instrument.parse("EURUSD,USDJPY,XAUUSD,BTCUSD");
  private static final List<String> ACCOUNTS =
      IntStream.rangeClosed(1, 10).mapToObj(SeedCommand::accountId).toList();
  private static final int N = 20_000;

  private static List<OrderRequest> run(long seed, int n) {
    OrderFlow flow = new OrderFlow(ACCOUNTS, INSTRUMENTS, seed, "T", OrderFlow.Prices.START);
    List<OrderRequest> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(flow.next());
    }
    return out;
  }

  private static Instrument instrument(String symbol) {
    return INSTRUMENTS.stream().filter(i -> i.symbol().equals(symbol)).findFirst().orElseThrow();
  }

  private static InstrumentSpec spec(String symbol) {
    return SeedCommand.instrument(instrument(symbol));
  }

  private static boolean onLot(String quantity, String symbol) {
    BigDecimal q = new BigDecimal(quantity);
    return q.signum() > 0 && q.remainder(spec(symbol).lotSize()).signum() == 0;
  }

  private static boolean onGrid(String price, String symbol) {
    return new BigDecimal(price).stripTrailingZeros().scale() <= instrument(symbol).decimals();
  }

  @Test
  void sameSeedSameOrders() {
    assertThat(run(7, 5_000)).isEqualTo(run(7, 5_000));
    assertThat(run(7, 5_000)).isNotEqualTo(run(8, 5_000));
  }

  @Test
  void invalidOrdersAndDuplicatesKeepToTheirShares() {
    Map<Kind, Integer> kinds = new EnumMap<>(Kind.class);
    run(1, N).forEach(o -> kinds.merge(o.kind(), 1, Integer::sum));
    int invalid = Kind.INVALID_KINDS.stream().mapToInt(k -> kinds.getOrDefault(k, 0)).sum();

    assertThat(invalid / (double) N).isBetween(0.04, 0.06);
    assertThat(kinds.get(Kind.DUPLICATE) / (double) N).isBetween(0.015, 0.025);
    assertThat(kinds.keySet()).as("every kind occurs").containsAll(List.of(Kind.values()));
  }

  @Test
  void mostlyMarketOrdersBothSides() {
    List<OrderRequest> valid = run(2, N).stream().filter(o -> o.kind() == Kind.VALID).toList();
    long market = valid.stream().filter(o -> o.orderType().equals("MARKET")).count();
    long buys = valid.stream().filter(o -> o.side().equals("BUY")).count();

    assertThat(market / (double) valid.size()).isBetween(0.75, 0.85);
    assertThat(buys / (double) valid.size()).isBetween(0.45, 0.55);
    assertThat(valid).extracting(OrderRequest::symbol).containsAll(List.of("EURUSD", "BTCUSD"));
  }

  @Test
  void validOrdersAreInWholeLotsAndLimitPricesOnTheTickGridNearTheMid() {
    for (OrderRequest o : run(3, N)) {
      if (o.kind() != Kind.VALID && o.kind() != Kind.DUPLICATE) {
        continue;
      }
      InstrumentSpec spec = spec(o.symbol());
      assertThat(onLot(o.quantity(), o.symbol())).as("%s on the lot", o).isTrue();
      assertThat(new BigDecimal(o.quantity())).isBetween(spec.minQuantity(), spec.maxQuantity());
      if (o.orderType().equals("MARKET")) {
        assertThat(o.limitPrice()).isNull();
      } else {
        assertThat(onGrid(o.limitPrice(), o.symbol())).as("%s on the grid", o).isTrue();
        Instrument i = instrument(o.symbol());
        long ticks = new BigDecimal(o.limitPrice()).movePointRight(i.decimals()).longValueExact();
        assertThat(Math.abs(ticks - i.startTicks()))
            .isLessThanOrEqualTo(OrderFlow.LIMIT_TICKS_AWAY);
      }
    }
  }

  @Test
  void eachInvalidOrderBreaksItsRule() {
    Set<String> seeded = new HashSet<>(ACCOUNTS);
    for (OrderRequest o : run(4, N)) {
      switch (o.kind()) {
        case UNKNOWN_SYMBOL -> assertThat(o.symbol()).isEqualTo(OrderFlow.UNKNOWN_SYMBOL);
        case UNKNOWN_ACCOUNT -> assertThat(seeded).doesNotContain(o.accountId());
        case QUANTITY_OFF_LOT -> {
          assertThat(new BigDecimal(o.quantity())).isPositive();
          assertThat(onLot(o.quantity(), o.symbol())).as("%s off the lot", o).isFalse();
        }
        case PRICE_OFF_TICK -> {
          assertThat(o.orderType()).isEqualTo("LIMIT");
          assertThat(onGrid(o.limitPrice(), o.symbol())).as("%s off the grid", o).isFalse();
        }
        case NEGATIVE_QUANTITY -> assertThat(new BigDecimal(o.quantity())).isNegative();
        case ZERO_QUANTITY -> assertThat(new BigDecimal(o.quantity())).isZero();
        case LIMIT_WITHOUT_PRICE -> {
          assertThat(o.orderType()).isEqualTo("LIMIT");
          assertThat(o.limitPrice()).isNull();
        }
        case VALID, DUPLICATE -> assertThat(seeded).contains(o.accountId());
      }
    }
  }

  @Test
  void aDuplicateRepeatsAnEarlierRequestAndNoOtherOrderIdRepeats() {
    Map<String, OrderRequest> byId = new HashMap<>();
    int duplicates = 0;
    for (OrderRequest o : run(5, N)) {
      assertThat(o.orderId()).startsWith("T-");
      OrderRequest earlier = byId.putIfAbsent(o.orderId(), o);
      if (o.kind() == Kind.DUPLICATE) {
        duplicates++;
        assertThat(earlier).as("an earlier order with id %s", o.orderId()).isNotNull();
        assertThat(o.body()).isEqualTo(earlier.body());
      } else {
        assertThat(earlier).as("order id %s used twice", o.orderId()).isNull();
      }
    }
    assertThat(duplicates).isPositive();
  }

  @Test
  void someOrdersComeInBurstsFromOneAccount() {
    List<OrderRequest> orders = run(6, N);
    int longest = 0;
    int current = 0;
    for (int i = 0; i < orders.size(); i++) {
      boolean same = i > 0 && orders.get(i).accountId().equals(orders.get(i - 1).accountId());
      current = same ? current + 1 : 1;
      longest = Math.max(longest, current);
    }
    // ten accounts drawn at random repeat a handful of times at most
    assertThat(longest).isGreaterThanOrEqualTo(OrderFlow.BURST_MIN - 5);
  }

  @Test
  void theJsonBodyHasTheGatewaysFieldsOnly() {
    OrderRequest limit =
        new OrderRequest(
            "ACC-0001", "T-1", "EURUSD", "BUY", "LIMIT", "1000", "1.08500", Kind.VALID);
    assertThat(limit.body())
        .containsExactly(
            Map.entry("account_id", "ACC-0001"),
            Map.entry("order_id", "T-1"),
            Map.entry("symbol", "EURUSD"),
            Map.entry("side", "BUY"),
            Map.entry("order_type", "LIMIT"),
            Map.entry("quantity", "1000"),
            Map.entry("limit_price", "1.08500"));
    assertThat(
            new OrderRequest("ACC-0001", null, "EURUSD", "SELL", "MARKET", "1000", null, Kind.VALID)
                .body())
        .doesNotContainKeys("order_id", "limit_price");
  }
}
