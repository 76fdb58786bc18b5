package io.rtx.common;

/**
 * Thrown by a handler to answer with {@code status} and {@code {"error": message}}, e.g. 404 for an
 * order that does not exist or 409 for one that can no longer change.
 */
public final class HttpError extends RuntimeException {

  private final int status;

  public HttpError(int status, String message) {
    // An answer, not a failure: no stack trace to fill in.
    super(message, null, false, false);
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("an HTTP error status is 400..599, got " + status);
    }
    this.status = status;
  }

  public int status() {
    return status;
  }
}
