package io.rtx.orders;

import io.rtx.orders.risk.Risk;
import io.rtx.orders.risk.RiskContext;
import io.rtx.schemas.AccountBalance;
import io.rtx.schemas.DecisionStatus;
import io.rtx.schemas.Order;
import io.rtx.schemas.OrderDecision;
import io.rtx.schemas.RejectReason;
import io.rtx.schemas.Tick;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * Pre-trade risk: decides each order of {@code orders.submitted} against its account's state, which
 * this task alone owns, so a burst of orders from one account is judged one after the other and can
 * never be accepted beyond its margin. An accepted order holds its margin until it is filled or its
 * remainder is cancelled ({@code orders.limit.ttl} after the decision, by wall clock).
 */
final class OrderDesk extends AccountDesk<Order> {

  OrderDesk(OrderSettings settings) {
    super(settings);
  }

  @Override
  public void init(ProcessorContext<String, Emit> context) {
    super.init(context);
    context.schedule(Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME, this::expire);
    context.schedule(Duration.ofMinutes(10), PunctuationType.WALL_CLOCK_TIME, this::forget);
  }

  @Override
  public void process(Record<String, Order> record) {
    Order order = record.value();
    if (order == null) {
      return; // a tombstone on the orders topic asks for nothing
    }
    String accountId = order.getAccountId();
    AccountState state = accounts.get(accountId);
    if (state == null) {
      state = new AccountState(accountId);
    }
    long now = record.timestamp();
    long from = now - settings.rateWindow().toMillis();
    while (!state.recentOrders.isEmpty() && state.recentOrders.peekFirst() <= from) {
      state.recentOrders.pollFirst();
    }

    AccountRef account = refs.account(accountId);
    InstrumentRef instrument = refs.instrument(order.getSymbol());
    Optional<Tick> quote = refs.prices().quote(order.getSymbol());
    Optional<Margin.AccountView> view =
        account == null
            ? Optional.empty()
            : Optional.of(Margin.view(state, account, refs::instrument, refs.prices()));
    RiskContext ctx =
        new RiskContext(
            order,
            account,
            instrument,
            quote,
            state,
            orders.get(order.getOrderId()) != null,
            now,
            settings.rateWindow(),
            Optional.empty(),
            view);
    Optional<BigDecimal> required =
        account == null || instrument == null || order.getQuantity() == null
            ? Optional.empty()
            : ctx.price()
                .flatMap(
                    p ->
                        Margin.required(
                            order.getQuantity(), p, instrument, account, refs.prices()));
    ctx = ctx.withRequiredMargin(required);
    List<RejectReason> reasons = Risk.check(ctx);
    // the key must be the account: a record on the wrong partition cannot be judged against its
    // state
    if (!accountId.equals(record.key()) && !reasons.contains(RejectReason.INVALID_ORDER)) {
      reasons = new java.util.ArrayList<>(reasons);
      reasons.add(0, RejectReason.INVALID_ORDER);
    }

    long decidedAt = context.currentSystemTimeMs();
    boolean accepted = reasons.isEmpty();
    BigDecimal reserved = accepted ? required.orElseThrow() : BigDecimal.ZERO;
    BigDecimal freeAfter = view.map(v -> v.freeMargin().subtract(reserved)).orElse(null);
    state.recentOrders.addLast(now);
    if (accepted) {
      OpenOrder open =
          new OpenOrder(
              order.getOrderId(),
              order.getSymbol(),
              order.getSide(),
              order.getOrderType(),
              order.getQuantity(),
              order.getQuantity(),
              order.getLimitPrice(),
              reserved,
              decidedAt);
      openOrders.put(openKey(accountId, order.getOrderId()), open);
      state.hold(open, 1);
      expiry.put(
          expiryKey(decidedAt + settings.limitTtl().toMillis(), order.getOrderId()), accountId);
    }
    state.version++;
    accounts.put(accountId, state);
    if (!ctx.duplicate()) {
      orders.put(
          order.getOrderId(),
          new OrderRecord(
              order.getOrderId(),
              accountId,
              order.getSymbol(),
              order.getSide(),
              order.getOrderType(),
              order.getQuantity(),
              order.getLimitPrice(),
              order.getSubmittedAt().toEpochMilli(),
              accepted ? "ACCEPTED" : "REJECTED",
              reasons.stream().map(Enum::name).toList(),
              reserved,
              freeAfter,
              decidedAt,
              BigDecimal.ZERO));
    }
    String currency = account == null ? null : account.currency();
    OrderDecision decision =
        OrderDecision.newBuilder()
            .setOrderId(order.getOrderId())
            .setAccountId(accountId)
            .setSymbol(order.getSymbol())
            .setStatus(accepted ? DecisionStatus.ACCEPTED : DecisionStatus.REJECTED)
            .setReasons(reasons)
            .setReservedMargin(money(reserved))
            .setDecidedAt(Instant.ofEpochMilli(decidedAt))
            .setSide(order.getSide())
            .setOrderType(order.getOrderType())
            .setQuantity(order.getQuantity())
            .setLimitPrice(order.getLimitPrice())
            .setCurrency(currency)
            .setFreeMarginAfter(freeAfter == null ? null : money(freeAfter))
            .build();
    context.forward(
        record.withKey(accountId).withValue(new Emit(Emit.Kind.DECISION, accountId, decision)));
    if (accepted) {
      context.forward(record.withKey(accountId).withValue(balance(state, currency, decidedAt)));
    }
  }

  /** The key of an open order in the {@code orders-open} store. */
  static String openKey(String accountId, String orderId) {
    return accountId + "|" + orderId;
  }

  /** Cancels the unfilled remainder of every order whose time is up, releasing its margin. */
  private void expire(long now) {
    List<KeyValue<String, String>> due = new java.util.ArrayList<>();
    try (KeyValueIterator<String, String> it =
        expiry.range(expiryKey(0, ""), expiryKey(now, "~"))) {
      it.forEachRemaining(due::add);
    }
    for (KeyValue<String, String> e : due) {
      expiry.delete(e.key);
      String orderId = e.key.substring(e.key.indexOf('|') + 1);
      OpenOrder open = openOrders.delete(openKey(e.value, orderId));
      AccountState state = open == null ? null : accounts.get(e.value);
      if (state == null) {
        continue; // filled meanwhile
      }
      state.hold(open, -1);
      state.version++;
      accounts.put(e.value, state);
      OrderRecord stored = orders.get(orderId);
      if (stored != null) {
        orders.put(orderId, stored.withStatus("CANCELLED"));
      }
      AccountRef account = refs.account(e.value);
      String currency = account == null ? null : account.currency();
      OrderDecision cancelled =
          OrderDecision.newBuilder()
              .setOrderId(orderId)
              .setAccountId(e.value)
              .setSymbol(open.symbol())
              .setStatus(DecisionStatus.CANCELLED)
              .setReasons(List.of(RejectReason.EXPIRED))
              .setReservedMargin(money(open.reserved()))
              .setDecidedAt(Instant.ofEpochMilli(now))
              .setSide(open.side())
              .setOrderType(open.type())
              .setQuantity(open.remaining())
              .setLimitPrice(open.limitPrice())
              .setCurrency(currency)
              .build();
      context.forward(new Record<>(e.value, new Emit(Emit.Kind.DECISION, e.value, cancelled), now));
      context.forward(new Record<>(e.value, balance(state, currency, now), now));
    }
  }

  /** Forgets decided orders older than {@code orders.history}, except those still open. */
  private void forget(long now) {
    long before = now - settings.history().toMillis();
    List<String> old = new java.util.ArrayList<>();
    try (KeyValueIterator<String, OrderRecord> it = orders.all()) {
      it.forEachRemaining(
          kv -> {
            String s = kv.value.status();
            boolean open = s.equals("ACCEPTED") || s.equals("PARTIALLY_FILLED");
            if (kv.value.decidedAt() < before && !open) {
              old.add(kv.key);
            }
          });
    }
    old.forEach(orders::delete);
  }

  static String expiryKey(long at, String orderId) {
    return String.format("%013d|%s", at, orderId);
  }

  static Emit balance(AccountState state, String currency, long at) {
    AccountBalance b =
        AccountBalance.newBuilder()
            .setAccountId(state.accountId)
            .setCurrency(currency == null ? "" : currency)
            .setBalance(money(state.cash()))
            .setReserved(money(state.reserved()))
            .setLastEntryId(state.lastLsn)
            .setUpdatedAt(Instant.ofEpochMilli(at))
            .setVersion(state.version)
            .build();
    return new Emit(Emit.Kind.BALANCE, state.accountId + ":" + b.getCurrency(), b);
  }

  /**
   * Our decimals have scale 8: exact values brought to it (half-even where a division left more).
   */
  static BigDecimal money(BigDecimal v) {
    return v.setScale(8, RoundingMode.HALF_EVEN);
  }
}
