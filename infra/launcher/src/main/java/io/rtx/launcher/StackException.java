package io.rtx.launcher;

/** A stack operation that cannot go on; the message says why and what to do, for people. */
public final class StackException extends RuntimeException {

  public StackException(String message) {
    super(message);
  }

  public StackException(String message, Throwable cause) {
    super(message, cause);
  }
}
