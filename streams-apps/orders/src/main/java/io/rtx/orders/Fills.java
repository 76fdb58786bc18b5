package io.rtx.orders;

import io.rtx.common.DeadLetters;
import io.rtx.schemas.Execution;
import io.rtx.schemas.LedgerEntryKind;
import io.rtx.schemas.LedgerLeg;
import io.rtx.schemas.LedgerTransaction;
import io.rtx.schemas.Position;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Applies fills ({@code trades.executions}) to their account: the position (average cost), the
 * order's remainder and the margin it still holds, and books what the fill realized and its fee as
 * one balanced ledger transaction against the house account ({@code ledger.entries}, entry ids
 * derived from the execution id, so a replay books nothing twice). Until the ledger's own stream
 * confirms them, the booked amounts count as cash in flight. An execution seen before (venues
 * deliver at least once) changes nothing.
 */
final class Fills extends AccountDesk<Execution> {

  static final String APP = "orders";
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9:._-]{0,100}");

  private KeyValueStore<String, BigDecimal> inflight;
  private WindowStore<String, Long> seen;

  Fills(OrderSettings settings) {
    super(settings);
  }

  @Override
  public void init(ProcessorContext<String, Emit> context) {
    super.init(context);
    this.inflight = context.getStateStore(StoreNames.INFLIGHT);
    this.seen = context.getStateStore(StoreNames.EXECUTIONS_SEEN);
  }

  @Override
  public void process(Record<String, Execution> record) {
    Execution e = record.value();
    if (e == null) {
      return;
    }
    if (!ID.matcher(e.getExecutionId()).matches()
        || e.getQuantity().signum() <= 0
        || e.getPrice().signum() <= 0) {
      refuse(record, "INVALID_EXECUTION", "execution id, quantity or price is not valid");
      return;
    }
    if (alreadyApplied(e.getExecutionId(), record.timestamp())) {
      return;
    }
    AccountRef account = refs.account(e.getAccountId());
    InstrumentRef instrument = refs.instrument(e.getSymbol());
    if (account == null || instrument == null) {
      refuse(
          record,
          "UNKNOWN_REFERENCE",
          "account " + e.getAccountId() + " or symbol " + e.getSymbol() + " unknown");
      return;
    }
    Integer decimals = refs.decimals(account.currency());
    String house = refs.house(account.currency());
    if (decimals == null || house == null) {
      refuse(record, "NO_HOUSE_ACCOUNT", "no currency or house account for " + account.currency());
      return;
    }
    AccountState state = accounts.get(e.getAccountId());
    if (state == null) {
      state = new AccountState(e.getAccountId());
    }
    AccountState.PositionState before = state.position(e.getSymbol());
    PositionMath.Result result =
        PositionMath.fill(
            before.holding(),
            e.getSide(),
            e.getQuantity(),
            e.getPrice(),
            instrument.contractSize());
    Optional<BigDecimal> realized =
        result.realized().signum() == 0
            ? Optional.of(BigDecimal.ZERO)
            : refs.prices()
                .convert(result.realized(), instrument.quoteCurrency(), account.currency());
    if (realized.isEmpty()) {
      refuse(
          record,
          "NO_FX_RATE",
          "no quote converts " + instrument.quoteCurrency() + " to " + account.currency());
      return;
    }
    seen.put(e.getExecutionId(), record.timestamp(), record.timestamp());
    BigDecimal booked = realized.get().setScale(decimals, RoundingMode.HALF_EVEN);
    BigDecimal fee = e.getFee().setScale(decimals, RoundingMode.HALF_EVEN);

    AccountState.PositionState after =
        new AccountState.PositionState(
            result.holding().quantity(),
            result.holding().avgPrice(),
            before.realizedPnl().add(booked),
            before.fees().add(fee),
            e.getExecutionId());
    state.positions.put(e.getSymbol(), after);
    String openKey = OrderDesk.openKey(e.getAccountId(), e.getOrderId());
    OpenOrder open = openOrders.get(openKey);
    if (open != null) {
      OpenOrder rest = open.afterFill(e.getQuantity());
      state.hold(open, -1);
      if (rest.done()) {
        openOrders.delete(openKey);
        // nothing left to cancel: the expiry punctuator need not look at it
        expiry.delete(
            OrderDesk.expiryKey(open.decidedAt() + settings.limitTtl().toMillis(), e.getOrderId()));
      } else {
        openOrders.put(openKey, rest);
        state.hold(rest, 1);
      }
    }
    OrderRecord order = orders.get(e.getOrderId());
    if (order != null && order.accountId().equals(e.getAccountId())) {
      orders.put(e.getOrderId(), order.withFill(e.getQuantity()));
    }

    String tx = "EXE:" + e.getExecutionId();
    List<LedgerLeg> legs = new ArrayList<>();
    if (booked.signum() != 0) {
      legs.add(
          leg(tx + ":pnl", e.getAccountId(), account.currency(), booked, LedgerEntryKind.TRADE));
      legs.add(
          leg(
              tx + ":pnl:house",
              house,
              account.currency(),
              booked.negate(),
              LedgerEntryKind.TRADE));
    }
    if (fee.signum() != 0) {
      legs.add(
          leg(
              tx + ":fee",
              e.getAccountId(),
              account.currency(),
              fee.negate(),
              LedgerEntryKind.FEE));
      legs.add(leg(tx + ":fee:house", house, account.currency(), fee, LedgerEntryKind.FEE));
    }
    for (LedgerLeg leg : legs) {
      if (leg.getAccountId().equals(e.getAccountId())) {
        inflight.put(inflightKey(e.getAccountId(), leg.getEntryId()), leg.getAmount());
        state.inflightCash = state.inflightCash.add(leg.getAmount());
        state.inflightEntries++;
      }
    }
    state.version++;
    accounts.put(e.getAccountId(), state);

    long at = e.getExecutedAt().toEpochMilli();
    Position position =
        Position.newBuilder()
            .setAccountId(e.getAccountId())
            .setSymbol(e.getSymbol())
            .setQuantity(OrderDesk.money(after.quantity()))
            .setAvgPrice(OrderDesk.money(after.avgPrice()))
            .setRealizedPnl(OrderDesk.money(after.realizedPnl()))
            .setLastExecutionId(e.getExecutionId())
            .setUpdatedAt(Instant.ofEpochMilli(at))
            .setFees(OrderDesk.money(after.fees()))
            .setVersion(state.version)
            .build();
    String key = e.getAccountId();
    context.forward(
        record
            .withKey(key)
            .withValue(new Emit(Emit.Kind.POSITION, key + ":" + e.getSymbol(), position)));
    context.forward(
        record.withKey(key).withValue(OrderDesk.balance(state, account.currency(), at)));
    if (!legs.isEmpty()) {
      LedgerTransaction booking =
          LedgerTransaction.newBuilder()
              .setTransactionId(tx)
              .setReference(e.getOrderId())
              .setCreatedAt(Instant.ofEpochMilli(at))
              .setLegs(legs)
              .build();
      context.forward(record.withKey(key).withValue(new Emit(Emit.Kind.LEDGER, key, booking)));
    }
  }

  private boolean alreadyApplied(String executionId, long at) {
    long window = settings.history().toMillis();
    try (WindowStoreIterator<Long> it = seen.fetch(executionId, at - window, at + window)) {
      return it.hasNext();
    }
  }

  static String inflightKey(String account, String entryId) {
    return account + "|" + entryId;
  }

  private static LedgerLeg leg(
      String entryId, String account, String currency, BigDecimal amount, LedgerEntryKind kind) {
    return LedgerLeg.newBuilder()
        .setEntryId(entryId)
        .setAccountId(account)
        .setCurrency(currency)
        .setAmount(OrderDesk.money(amount))
        .setKind(kind)
        .build();
  }

  /** An execution that cannot be applied goes to the dead-letter topic with the reason. */
  private void refuse(Record<String, Execution> record, String reason, String detail) {
    context.forward(
        record
            .withHeaders(DeadLetters.deadLetter(record.headers(), APP, reason, detail))
            .withValue(new Emit(Emit.Kind.DEAD_EXECUTION, record.key(), record.value())));
  }
}
