package io.batanomaly.api;

/**
 * A triage request that cannot be carried out. Each subclass maps to one HTTP status code,
 * given by {@link #httpStatus()}, and its message says what was wrong.
 */
public abstract class TriageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception.
   *
   * @param message what was wrong
   */
  protected TriageException(String message) {
    super(message);
  }

  /**
   * Returns the HTTP status code the HTTP layer answers with.
   *
   * @return the status code
   */
  public abstract int httpStatus();
}
