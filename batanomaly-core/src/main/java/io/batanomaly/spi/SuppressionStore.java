package io.batanomaly.spi;

import io.batanomaly.api.Severity;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Stores the suppressions closed anomalies leave behind: after RESOLVED, a cooldown; after
 * DISMISSED, a dismissal that lets only more severe findings through. A suppression belongs to
 * a tenant, an anomaly type and a subject; while it holds, a finding of that key opens no new
 * anomaly. A persistent store makes every engine on it, and the same engine after a restart,
 * honour them.
 *
 * <p>The engine asks {@link #find} only for a finding whose key has no active anomaly, writes
 * with {@link #save} when an anomaly closes and {@link #remove} when one reopens, and calls
 * {@link #expire} on ticks. Implementations are thread-safe.
 */
public interface SuppressionStore {

  /**
   * A suppression of one key.
   *
   * @param tenant the tenant
   * @param type the anomaly type
   * @param subject the subject
   * @param until when it ends (exclusive)
   * @param ceiling for a dismissal, the dismissed anomaly's severity (a finding more severe than
   *     it gets through); {@code null} for a cooldown, which holds back every finding
   */
  record Suppression(String tenant, String type, String subject, Instant until,
      Severity ceiling) {

    /**
     * Creates a suppression.
     *
     * @throws NullPointerException if {@code tenant}, {@code type}, {@code subject} or
     *     {@code until} is null
     */
    public Suppression {
      Objects.requireNonNull(tenant, "tenant");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(until, "until");
    }

    /**
     * Tells whether this suppression holds back a finding of the given severity at a moment.
     *
     * @param severity the finding's severity
     * @param now the engine clock
     * @return {@code true} if the finding opens no anomaly
     */
    public boolean blocks(Severity severity, Instant now) {
      return now.isBefore(until) && (ceiling == null || severity.compareTo(ceiling) <= 0);
    }
  }

  /**
   * Stores a suppression, replacing any earlier one of the same key.
   *
   * @param suppression the suppression
   */
  void save(Suppression suppression);

  /**
   * Finds the suppression of a key, expired or not.
   *
   * @param tenant the tenant
   * @param type the anomaly type
   * @param subject the subject
   * @return the suppression, or empty if there is none
   */
  Optional<Suppression> find(String tenant, String type, String subject);

  /**
   * Removes the suppression of a key, if any.
   *
   * @param tenant the tenant
   * @param type the anomaly type
   * @param subject the subject
   */
  void remove(String tenant, String type, String subject);

  /**
   * Removes suppressions that ended at or before {@code now}. Called on engine ticks.
   *
   * @param now the engine clock
   */
  void expire(Instant now);

  /**
   * Returns how many suppressions are held, for the health snapshot; a store that cannot tell
   * cheaply answers -1.
   *
   * @return the count, or -1
   */
  default int size() {
    return -1;
  }
}
