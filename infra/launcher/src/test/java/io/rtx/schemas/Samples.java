package io.rtx.schemas;

import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/** One realistic instance of every event type, with every decimal at full scale. */
final class Samples {

  static final Instant T = Instant.parse("2026-11-26T09:30:00.123Z");

  private Samples() {}

  static Tick tick() {
    return Tick.newBuilder()
        .setSymbol("EURUSD")
        .setSeq(42)
        .setTs(T)
        .setBid(Decimals.of("1.08412000"))
        .setAsk(Decimals.of("1.08415000"))
        .setBidSize(Decimals.of("1000000"))
        .setAskSize(null)
        .setLastPrice(Decimals.of("1.08413500"))
        .setLastSize(Decimals.of("250000.5"))
        .setVenue("SIM")
        .build();
  }

  static List<SpecificRecord> everyType() {
    return List.of(
        tick(),
        Candle.newBuilder()
            .setSymbol("EURUSD")
            .setInterval("1m")
            .setBucketStart(Instant.parse("2026-11-26T09:30:00Z"))
            .setOpen(Decimals.of("1.0841"))
            .setHigh(Decimals.of("1.08432"))
            .setLow(Decimals.of("1.08401"))
            .setClose(Decimals.of("1.08419"))
            .setVolume(Decimals.of("12345678901234567.12345678"))
            .setTickCount(318)
            .setIsFinal(true)
            .build(),
        Order.newBuilder()
            .setOrderId("o-1")
            .setAccountId("acc-7")
            .setSymbol("EURUSD")
            .setSide(Side.BUY)
            .setOrderType(OrderType.LIMIT)
            .setQuantity(Decimals.of("100000"))
            .setLimitPrice(Decimals.of("1.0840"))
            .setSubmittedAt(T)
            .build(),
        OrderDecision.newBuilder()
            .setOrderId("o-1")
            .setAccountId("acc-7")
            .setSymbol("EURUSD")
            .setStatus(DecisionStatus.REJECTED)
            .setReasons(List.of(RejectReason.INSUFFICIENT_MARGIN, RejectReason.POSITION_LIMIT))
            .setReservedMargin(Decimals.zero())
            .setDecidedAt(T)
            .build(),
        Execution.newBuilder()
            .setExecutionId("x-1")
            .setOrderId("o-1")
            .setAccountId("acc-7")
            .setSymbol("EURUSD")
            .setSide(Side.SELL)
            .setQuantity(Decimals.of("0.00000001"))
            .setPrice(Decimals.of("99999999999.99999999"))
            .setFee(Decimals.of("-0.01"))
            .setExecutedAt(T)
            .build(),
        Position.newBuilder()
            .setAccountId("acc-7")
            .setSymbol("EURUSD")
            .setQuantity(Decimals.of("-250000"))
            .setAvgPrice(Decimals.of("1.08412"))
            .setRealizedPnl(Decimals.of("-1234.56789012"))
            .setLastExecutionId("x-1")
            .setUpdatedAt(T)
            .build(),
        AccountBalance.newBuilder()
            .setAccountId("acc-7")
            .setCurrency("USD")
            .setBalance(Decimals.of("1000000.01"))
            .setReserved(Decimals.of("2168.24"))
            .setLastEntryId(9)
            .setUpdatedAt(T)
            .build(),
        LedgerEntry.newBuilder()
            .setEntryId(9)
            .setAccountId("acc-7")
            .setCurrency("USD")
            .setAmount(Decimals.of("-0.01"))
            .setKind(LedgerEntryKind.FEE)
            .setReference("x-1")
            .setCreatedAt(T)
            .build());
  }
}
