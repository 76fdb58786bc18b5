package io.rtx.ledger;

/**
 * A back-office request refused before anything was written: unknown or inactive account, bad
 * amount, wrong currency, not enough money, an idempotency id already used for something else. The
 * message says which, in words an operator can act on.
 */
public final class Refused extends RuntimeException {

  public Refused(String message) {
    super(message);
  }
}
