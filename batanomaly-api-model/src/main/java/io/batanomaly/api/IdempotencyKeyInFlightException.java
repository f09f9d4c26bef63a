package io.batanomaly.api;

/**
 * A request that reuses the {@code Idempotency-Key} of a request still being processed: HTTP
 * 409. Retrying once the first request has finished replays its response.
 */
public final class IdempotencyKeyInFlightException extends TriageException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception.
   *
   * @param key the key in flight
   */
  public IdempotencyKeyInFlightException(String key) {
    super("A request with Idempotency-Key '" + key + "' is still being processed; retry later");
  }

  @Override
  public int httpStatus() {
    return 409;
  }
}
