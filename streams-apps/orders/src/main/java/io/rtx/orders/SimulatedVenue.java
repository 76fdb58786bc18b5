package io.rtx.orders;

import io.rtx.schemas.DecisionStatus;
import io.rtx.schemas.Execution;
import io.rtx.schemas.OrderDecision;
import io.rtx.schemas.OrderType;
import io.rtx.schemas.Side;
import io.rtx.schemas.Tick;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A B-book for demos and tests (never production, where fills come from venues): fills accepted
 * market orders at the quote (buy at the ask, sell at the bid), some in two parts; rests accepted
 * limit orders and fills each at the touch on the first tick that crosses its limit; forgets
 * cancelled ones. Fees are {@code orders.simulator.fee.rate} of the notional, in the account's
 * currency. Execution ids derive from the order id, so a replay fills nothing twice downstream.
 */
final class SimulatedVenue {

  /** A limit order waiting for the market to cross it. */
  record Resting(
      String orderId,
      String accountId,
      String symbol,
      Side side,
      BigDecimal quantity,
      BigDecimal limit) {

    static Resting of(OrderDecision d) {
      return new Resting(
          d.getOrderId(),
          d.getAccountId(),
          d.getSymbol(),
          d.getSide(),
          d.getQuantity(),
          d.getLimitPrice());
    }
  }

  private SimulatedVenue() {}

  /** Does {@code quote} cross a limit order of {@code side} at {@code limit}? */
  static boolean crosses(Side side, BigDecimal limit, Tick quote) {
    return side == Side.BUY
        ? quote.getAsk().compareTo(limit) <= 0
        : quote.getBid().compareTo(limit) >= 0;
  }

  /** Executions of the order's quantity at the touch, split in two for a share of the orders. */
  static List<Execution> fill(
      OrderSettings settings, Refs refs, Resting order, Tick quote, boolean maySplit, long at) {
    String orderId = order.orderId();
    String accountId = order.accountId();
    String symbol = order.symbol();
    Side side = order.side();
    BigDecimal quantity = order.quantity();
    AccountRef account = refs.account(accountId);
    InstrumentRef instrument = refs.instrument(symbol);
    if (account == null || instrument == null) {
      return List.of();
    }
    Integer decimals = refs.decimals(account.currency());
    BigDecimal price = Margin.touch(quote, side);
    List<BigDecimal> parts = new ArrayList<>();
    double draw = Math.floorMod(orderId.hashCode(), 1000) / 1000.0;
    BigDecimal first =
        quantity
            .multiply(new BigDecimal("0.6"))
            .divide(instrument.lotSize(), 0, RoundingMode.DOWN)
            .multiply(instrument.lotSize());
    if (maySplit
        && draw < settings.simulatorPartialShare()
        && first.signum() > 0
        && first.compareTo(quantity) < 0) {
      parts.add(first);
      parts.add(quantity.subtract(first));
    } else {
      parts.add(quantity);
    }
    List<Execution> fills = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      BigDecimal q = parts.get(i);
      BigDecimal notional = q.multiply(price).multiply(instrument.contractSize());
      Optional<BigDecimal> fee =
          refs.prices()
              .convert(
                  notional.multiply(settings.simulatorFeeRate()),
                  instrument.quoteCurrency(),
                  account.currency());
      BigDecimal rounded =
          fee.orElse(BigDecimal.ZERO)
              .setScale(decimals == null ? 2 : decimals, RoundingMode.HALF_EVEN);
      fills.add(
          Execution.newBuilder()
              .setExecutionId("SIM-" + orderId + "-" + (i + 1))
              .setOrderId(orderId)
              .setAccountId(accountId)
              .setSymbol(symbol)
              .setSide(side)
              .setQuantity(OrderDesk.money(q))
              .setPrice(OrderDesk.money(price))
              .setFee(OrderDesk.money(rounded))
              .setExecutedAt(Instant.ofEpochMilli(at))
              .build());
    }
    return fills;
  }

  /** A processor of the venue: fills orders at a quote and forwards the executions. */
  private abstract static class Desk<V> implements Processor<String, V, String, Emit> {
    final OrderSettings settings;
    private final boolean book;
    ProcessorContext<String, Emit> context;
    Refs refs;
    KeyValueStore<String, Resting> resting; // the book of resting limit orders, if it uses it

    Desk(OrderSettings settings, boolean book) {
      this.settings = settings;
      this.book = book;
    }

    @Override
    public void init(ProcessorContext<String, Emit> context) {
      this.context = context;
      this.refs = new Refs(context);
      if (book) {
        this.resting = context.getStateStore(StoreNames.RESTING);
      }
    }

    /** Fills {@code order} at {@code quote}; each execution goes out like {@code cause}. */
    void fill(Record<String, ?> cause, Resting order, Tick quote, boolean maySplit, long at) {
      for (Execution e : SimulatedVenue.fill(settings, refs, order, quote, maySplit, at)) {
        context.forward(
            cause
                .withKey(e.getAccountId())
                .withValue(new Emit(Emit.Kind.EXECUTION, e.getAccountId(), e)));
      }
    }
  }

  /** Market orders, and limit orders that cross already: filled as their decision arrives. */
  static final class AtDecision extends Desk<OrderDecision> {

    AtDecision(OrderSettings settings) {
      super(settings, false);
    }

    @Override
    public void process(Record<String, OrderDecision> record) {
      OrderDecision d = record.value();
      if (d == null
          || d.getStatus() != DecisionStatus.ACCEPTED
          || d.getOrderType() != OrderType.MARKET) {
        return;
      }
      Optional<Tick> quote = refs.prices().quote(d.getSymbol());
      if (quote.isEmpty()) {
        return; // nothing to fill at: the order's remainder expires
      }
      fill(record, Resting.of(d), quote.get(), true, context.currentSystemTimeMs());
    }
  }

  /** Accepted limit orders rest (by symbol) until a tick crosses them; cancelled ones leave. */
  static final class Book extends Desk<OrderDecision> {

    Book(OrderSettings settings) {
      super(settings, true);
    }

    @Override
    public void process(Record<String, OrderDecision> record) {
      OrderDecision d = record.value();
      String key = d.getSymbol() + "|" + d.getOrderId();
      if (d.getStatus() == DecisionStatus.CANCELLED) {
        resting.delete(key);
        return;
      }
      Optional<Tick> quote = refs.prices().quote(d.getSymbol());
      if (quote.isPresent() && crosses(d.getSide(), d.getLimitPrice(), quote.get())) {
        fill(record, Resting.of(d), quote.get(), false, context.currentSystemTimeMs());
        return;
      }
      resting.put(key, Resting.of(d));
    }
  }

  /** Each tick fills the resting limit orders of its symbol that it crosses. */
  static final class Matcher extends Desk<Tick> {

    Matcher(OrderSettings settings) {
      super(settings, true);
    }

    @Override
    public void process(Record<String, Tick> record) {
      Tick tick = record.value();
      if (tick == null || tick.getBid() == null || tick.getAsk() == null) {
        return;
      }
      List<Resting> crossed = new ArrayList<>();
      try (KeyValueIterator<String, Resting> it =
          resting.prefixScan(
              tick.getSymbol() + "|",
              new org.apache.kafka.common.serialization.StringSerializer())) {
        it.forEachRemaining(
            kv -> {
              if (crosses(kv.value.side(), kv.value.limit(), tick)) {
                crossed.add(kv.value);
              }
            });
      }
      // the executions carry the tick's time but none of its headers
      Record<String, Tick> cause = record.withHeaders(new RecordHeaders());
      for (Resting r : crossed) {
        resting.delete(r.symbol() + "|" + r.orderId());
        fill(cause, r, tick, false, tick.getTs().toEpochMilli());
      }
    }
  }
}
