package io.batanomaly.spi;

/**
 * Everything the engine keeps about triage, in one place: anomalies with their history,
 * Idempotency-Key outcomes and the suppressions closed anomalies leave. The engine uses the
 * in-memory store unless the host passes one ({@code AnomalyEngine.Builder.store}) or an
 * {@link AnomalyStoreProvider} on the class path is configured.
 *
 * <p>Closing releases what the store owns (a connection pool it created); a store the host
 * passed to the builder is closed by the host, one the engine discovered is closed with the
 * engine.
 */
public interface AnomalyStore extends AutoCloseable {

  /**
   * Returns where anomalies are kept.
   *
   * @return the repository
   */
  AnomalyRepository repository();

  /**
   * Returns where Idempotency-Key claims and outcomes are kept.
   *
   * @return the idempotency store
   */
  IdempotencyStore idempotency();

  /**
   * Returns where cooldown and dismissal suppressions are kept.
   *
   * @return the suppression store
   */
  SuppressionStore suppressions();

  /**
   * Returns a short description for logs, such as {@code "jdbc:postgresql://db/triage"}; it must
   * never contain a password.
   *
   * @return the description
   */
  default String describe() {
    return getClass().getSimpleName();
  }

  /** Releases what the store owns. The default does nothing. */
  @Override
  default void close() {}
}
