package io.rtx.ledger;

import io.rtx.schemas.LedgerEntryKind;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One double-entry transaction as it will be written to {@code transactions.ledger}: its legs sum
 * to zero in every currency (the database checks the same at commit), and leg {@code n} (from 1) is
 * the entry {@code <transaction_id>:<n>}.
 */
public record LedgerTransaction(
    String transactionId, LedgerEntryKind kind, String reference, List<Leg> legs) {

  /**
   * A transaction id: room left for {@code :<n>} within the ledger's 128-character entry id, and no
   * colon of its own so an entry id names its transaction unambiguously.
   */
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,119}");

  public static final int MAX_REFERENCE = 200;

  /** One account's side: positive is money in to the account, negative money out. */
  public record Leg(String account, String currency, BigDecimal amount) {
    public Leg {
      if (amount.signum() == 0) {
        throw new IllegalArgumentException("a leg of zero on " + account + " books nothing");
      }
    }
  }

  /** A leg with its entry id. */
  public record Entry(String entryId, Leg leg) {}

  public LedgerTransaction {
    if (transactionId == null || !ID.matcher(transactionId).matches()) {
      throw new IllegalArgumentException("not a transaction id: '" + transactionId + "'");
    }
    if (reference != null && reference.length() > MAX_REFERENCE) {
      throw new IllegalArgumentException("reference longer than " + MAX_REFERENCE);
    }
    legs = List.copyOf(legs);
    if (legs.size() < 2) {
      throw new IllegalArgumentException("a transaction has at least two legs");
    }
    Map<String, BigDecimal> sums = new TreeMap<>();
    legs.forEach(l -> sums.merge(l.currency(), l.amount(), BigDecimal::add));
    sums.forEach(
        (currency, sum) -> {
          if (sum.signum() != 0) {
            throw new IllegalArgumentException(
                transactionId
                    + " does not balance: "
                    + currency
                    + " sums to "
                    + sum.toPlainString());
          }
        });
  }

  /** The client's leg and the opposite one on the house account of the same currency. */
  public static LedgerTransaction againstHouse(
      String transactionId,
      LedgerEntryKind kind,
      String reference,
      String account,
      String houseAccount,
      String currency,
      BigDecimal clientAmount) {
    return new LedgerTransaction(
        transactionId,
        kind,
        reference,
        List.of(
            new Leg(account, currency, clientAmount),
            new Leg(houseAccount, currency, clientAmount.negate())));
  }

  public List<Entry> entries() {
    List<Entry> entries = new ArrayList<>(legs.size());
    for (int i = 0; i < legs.size(); i++) {
      entries.add(new Entry(transactionId + ":" + (i + 1), legs.get(i)));
    }
    return entries;
  }
}
