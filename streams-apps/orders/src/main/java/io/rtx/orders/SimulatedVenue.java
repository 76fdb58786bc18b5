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
      BigDecimal limit) {}

  private SimulatedVenue() {}

  /** Does {@code quote} cross a limit order of {@code side} at {@code limit}? */
  static boolean crosses(Side side, BigDecimal limit, Tick quote) {
    return side == Side.BUY
        ? quote.getAsk().compareTo(limit) <= 0
        : quote.getBid().compareTo(limit) >= 0;
  }

  /** Executions of {@code quantity} at the touch, split in two for a share of the orders. */
  static List<Execution> fill(
      OrderSettings settings,
      Refs refs,
      String orderId,
      String accountId,
      String symbol,
      Side side,
      BigDecimal quantity,
      Tick quote,
      boolean maySplit,
      long at) {
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

  /** Market orders, and limit orders that cross already: filled as their decision arrives. */
  static final class AtDecision implements Processor<String, OrderDecision, String, Emit> {
    private final OrderSettings settings;
    private ProcessorContext<String, Emit> context;
    private Refs refs;

    AtDecision(OrderSettings settings) {
      this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, Emit> context) {
      this.context = context;
      this.refs = new Refs(context);
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
      for (Execution e :
          fill(
              settings,
              refs,
              d.getOrderId(),
              d.getAccountId(),
              d.getSymbol(),
              d.getSide(),
              d.getQuantity(),
              quote.get(),
              true,
              context.currentSystemTimeMs())) {
        context.forward(
            record
                .withKey(e.getAccountId())
                .withValue(new Emit(Emit.Kind.EXECUTION, e.getAccountId(), e)));
      }
    }
  }

  /** Accepted limit orders rest (by symbol) until a tick crosses them; cancelled ones leave. */
  static final class Book implements Processor<String, OrderDecision, String, Emit> {
    private final OrderSettings settings;
    private ProcessorContext<String, Emit> context;
    private KeyValueStore<String, Resting> resting;
    private Refs refs;

    Book(OrderSettings settings) {
      this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, Emit> context) {
      this.context = context;
      this.resting = context.getStateStore(StoreNames.RESTING);
      this.refs = new Refs(context);
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
        for (Execution e :
            fill(
                settings,
                refs,
                d.getOrderId(),
                d.getAccountId(),
                d.getSymbol(),
                d.getSide(),
                d.getQuantity(),
                quote.get(),
                false,
                context.currentSystemTimeMs())) {
          context.forward(
              record
                  .withKey(e.getAccountId())
                  .withValue(new Emit(Emit.Kind.EXECUTION, e.getAccountId(), e)));
        }
        return;
      }
      resting.put(
          key,
          new Resting(
              d.getOrderId(),
              d.getAccountId(),
              d.getSymbol(),
              d.getSide(),
              d.getQuantity(),
              d.getLimitPrice()));
    }
  }

  /** Each tick fills the resting limit orders of its symbol that it crosses. */
  static final class Matcher implements Processor<String, Tick, String, Emit> {
    private final OrderSettings settings;
    private ProcessorContext<String, Emit> context;
    private KeyValueStore<String, Resting> resting;
    private Refs refs;

    Matcher(OrderSettings settings) {
      this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, Emit> context) {
      this.context = context;
      this.resting = context.getStateStore(StoreNames.RESTING);
      this.refs = new Refs(context);
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
      for (Resting r : crossed) {
        resting.delete(r.symbol() + "|" + r.orderId());
        for (Execution e :
            fill(
                settings,
                refs,
                r.orderId(),
                r.accountId(),
                r.symbol(),
                r.side(),
                r.quantity(),
                tick,
                false,
                tick.getTs().toEpochMilli())) {
          context.forward(
              new Record<>(
                  e.getAccountId(),
                  new Emit(Emit.Kind.EXECUTION, e.getAccountId(), e),
                  record.timestamp()));
        }
      }
    }
  }
}
