package io.batanomaly.api;

/**
 * An {@code Idempotency-Key} already used for a different request in the same tenant: HTTP 422.
 */
public final class IdempotencyKeyReusedException extends TriageException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception.
   *
   * @param key the key that was reused
   */
  public IdempotencyKeyReusedException(String key) {
    super("Idempotency-Key '" + key + "' was already used for a different request");
  }

  @Override
  public int httpStatus() {
    return 422;
  }
}
