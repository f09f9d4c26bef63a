package io.batanomaly.spi;

import io.batanomaly.api.Anomaly;
import io.batanomaly.api.TriageException;
import java.time.Instant;
import java.util.Objects;

/**
 * Stores Idempotency-Key claims and outcomes for status updates. The engine runs the protocol
 * (claim, run the request, complete or release); a store only has to make each call atomic, so
 * that of two engines claiming one key at once exactly one gets it.
 *
 * <p>A key is scoped to its tenant. A claim records who holds the key (an opaque owner token the
 * engine makes up per request), the request's fingerprint and a lease: while the lease runs, a
 * second claim with the same key is told the key is {@link Claim.InFlight in flight}; once the
 * lease has passed without the owner completing (its engine died), the next claim for the same
 * request takes the key over. A completed key keeps its outcome until its expiry, after which a
 * claim starts afresh as if the key had never been used.
 *
 * <h2>A JDBC implementation</h2>
 *
 * <pre>
 * CREATE TABLE idempotency (
 *   tenant VARCHAR(1024) NOT NULL, idem_key VARCHAR(255) NOT NULL,
 *   fingerprint VARCHAR(64) NOT NULL, owner VARCHAR(64) NOT NULL, done SMALLINT NOT NULL,
 *   lease_until BIGINT, expires_at BIGINT, outcome TEXT,
 *   PRIMARY KEY (tenant, idem_key));
 * </pre>
 *
 * <p>{@link #claim}: {@code INSERT … ON CONFLICT DO NOTHING}; if no row was inserted, an
 * {@code UPDATE … WHERE (done = 1 AND expires_at <= now) OR (done = 0 AND lease_until <= now AND
 * fingerprint = ?)} takes over an expired key or a dead owner's claim; failing that, the row is
 * read and answered as replay, in flight or reused. {@link #complete} and {@link #release} are
 * guarded by {@code owner = ?}.
 *
 * <p>Implementations are thread-safe.
 */
public interface IdempotencyStore {

  /** What a {@link #claim} found. */
  sealed interface Claim permits Claim.Acquired, Claim.InFlight, Claim.Reused, Claim.Replay {

    /** The caller now holds the key and runs the request. */
    record Acquired() implements Claim {}

    /** Another request with the same key holds it and its lease still runs. */
    record InFlight() implements Claim {}

    /** The key was used for a different request. */
    record Reused() implements Claim {}

    /**
     * The key's request already ran; its outcome is replayed.
     *
     * @param outcome the stored outcome
     */
    record Replay(Outcome outcome) implements Claim {
      /**
       * Creates a replay.
       *
       * @throws NullPointerException if {@code outcome} is null
       */
      public Replay {
        Objects.requireNonNull(outcome, "outcome");
      }
    }
  }

  /**
   * The outcome of a request: the anomaly it returned, or the client error it failed with.
   *
   * @param anomaly the result, or {@code null} when the request failed
   * @param error the client error, or {@code null} when the request succeeded
   */
  record Outcome(Anomaly anomaly, TriageException error) {
    /**
     * Creates an outcome.
     *
     * @throws IllegalArgumentException unless exactly one of the two is given
     */
    public Outcome {
      if ((anomaly == null) == (error == null)) {
        throw new IllegalArgumentException(
            "an outcome has either an anomaly or an error, but had " + anomaly + " and " + error);
      }
    }
  }

  /**
   * Claims a key for a request, or reports why not.
   *
   * @param tenant the tenant
   * @param key the Idempotency-Key
   * @param fingerprint identifies the request (the same request gives the same fingerprint), at
   *     most 64 characters
   * @param owner a token unique to this attempt, at most 64 characters
   * @param now the engine clock
   * @param leaseUntil until when the claim holds the key if its owner never completes it
   * @return {@link Claim.Acquired} if the caller now holds the key; otherwise what holds it
   */
  Claim claim(String tenant, String key, String fingerprint, String owner, Instant now,
      Instant leaseUntil);

  /**
   * Stores the outcome of a claimed key's request. Does nothing if {@code owner} no longer holds
   * the key (its lease passed and another request took it over).
   *
   * @param tenant the tenant
   * @param key the Idempotency-Key
   * @param owner the token given to {@link #claim}
   * @param outcome the outcome
   * @param now the engine clock
   * @param expiresAt until when the outcome is replayed
   */
  void complete(String tenant, String key, String owner, Outcome outcome, Instant now,
      Instant expiresAt);

  /**
   * Gives up a claim without an outcome (the request failed with a server error), so a retry
   * runs it again. Does nothing if {@code owner} no longer holds the key.
   *
   * @param tenant the tenant
   * @param key the Idempotency-Key
   * @param owner the token given to {@link #claim}
   */
  void release(String tenant, String key, String owner);

  /**
   * Removes outcomes that have expired. Called on engine ticks.
   *
   * @param now the engine clock
   */
  void expire(Instant now);

  /**
   * Returns how many keys the store holds, for the health snapshot; a store that cannot tell
   * cheaply answers -1.
   *
   * @return the number of keys, or -1
   */
  default int size() {
    return -1;
  }

  /**
   * Returns how many unexpired keys were removed to keep the store within a bound.
   *
   * @return the count; 0 for a store without a bound
   */
  default long dropped() {
    return 0;
  }
}
