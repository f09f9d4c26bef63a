package io.batanomaly.spi;

import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyPage;
import io.batanomaly.api.HistoryEntry;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Stores anomalies. The engine keeps every anomaly as an immutable {@link Anomaly} snapshot and
 * changes one by compare-and-set ({@link #replace}); it never deletes one. One engine serialises
 * its own changes to one anomaly; several engines sharing a store rely on the store: each call
 * must be atomic, {@link #replace} a true compare-and-set, and at most one active anomaly per
 * tenant, type and subject may exist ({@link ActiveAnomalyExistsException}). The
 * {@code batanomaly-jdbc} module implements it on PostgreSQL and SQLite.
 *
 * <h2>A JDBC implementation</h2>
 *
 * <p>Four methods are required, three more have defaults that a database can do better. One
 * table is enough:
 *
 * <pre>
 * CREATE TABLE anomaly (
 *   tenant      VARCHAR(255) NOT NULL,
 *   id          VARCHAR(64)  NOT NULL,
 *   type        VARCHAR(64)  NOT NULL,
 *   subject     VARCHAR(1024) NOT NULL,
 *   status      VARCHAR(16)  NOT NULL,
 *   detected_at TIMESTAMP    NOT NULL,
 *   updated_at  TIMESTAMP    NOT NULL,  -- AnomalyRepository.lastActivity(anomaly)
 *   version     BIGINT       NOT NULL,  -- AnomalyRepository.version(anomaly)
 *   body        TEXT         NOT NULL,  -- the Anomaly as JSON, history included
 *   PRIMARY KEY (tenant, id));
 * CREATE INDEX anomaly_recent ON anomaly (tenant, detected_at DESC, id);
 * CREATE INDEX anomaly_key    ON anomaly (tenant, type, subject, status);
 * </pre>
 *
 * <ul>
 *   <li>{@link #insert}: {@code INSERT}.
 *   <li>{@link #replace}: {@code UPDATE anomaly SET status = ?, version = ?, body = ? WHERE
 *       tenant = ? AND id = ? AND version = ?} with {@link #version} of {@code updated} and of
 *       {@code expected}; one row updated means {@code true}. The version grows with every change
 *       the engine makes, so it stands for the whole snapshot.
 *   <li>{@link #find}: {@code SELECT body … WHERE tenant = ? AND id = ?}. The tenant is part of
 *       the key: another tenant's anomaly must not be found.
 *   <li>{@link #list}: {@code SELECT body … WHERE tenant = ? [AND type = ?] AND detected_at >= ?
 *       ORDER BY detected_at DESC, id}.
 *   <li>{@link #page}: the same with {@code LIMIT ? OFFSET ?} and a {@code COUNT(*)}.
 *   <li>{@link #findActive}: {@code … WHERE tenant = ? AND type = ? AND subject = ? AND status IN
 *       ('OPEN', 'VERIFYING')}.
 *   <li>{@link #expire}: {@code DELETE … WHERE status IN ('RESOLVED', 'DISMISSED') AND
 *       updated_at < ?}, or nothing if the database has its own retention.
 * </ul>
 *
 * <p>Implementations are thread-safe. The default keeps anomalies in memory, bounded per tenant,
 * with a retention period ({@code ANOMALY_MAX_ANOMALIES_PER_TENANT}, {@code ANOMALY_RETENTION}).
 */
public interface AnomalyRepository {

  /**
   * Returns a number that grows with every change the engine makes to an anomaly: a finding
   * absorbed adds one occurrence, a status change adds one history entry. A store can keep it in
   * a column and compare it instead of the whole snapshot in {@link #replace}.
   *
   * @param anomaly the snapshot
   * @return its version
   */
  static long version(Anomaly anomaly) {
    return anomaly.occurrences() + anomaly.history().size();
  }

  /**
   * Returns when an anomaly last changed: the later of its last finding and its last status
   * change. Retention is counted from this moment, so an old anomaly closed yesterday is kept as
   * long as one closed yesterday after a short life.
   *
   * @param anomaly the snapshot
   * @return its last activity
   */
  static Instant lastActivity(Anomaly anomaly) {
    Instant last = anomaly.lastSeenAt();
    List<HistoryEntry> history = anomaly.history();
    if (!history.isEmpty() && history.get(history.size() - 1).at().isAfter(last)) {
      last = history.get(history.size() - 1).at();
    }
    return last;
  }

  /**
   * Stores a new anomaly.
   *
   * @param anomaly the anomaly, with an id not stored before
   * @throws IllegalArgumentException if an anomaly with that id is already stored
   * @throws ActiveAnomalyExistsException if the anomaly is active and another active anomaly of
   *     the same tenant, type and subject is stored (a store shared by several engines must
   *     refuse it; the engine then folds its finding into that one)
   */
  void insert(Anomaly anomaly);

  /**
   * Replaces an anomaly if it is still exactly {@code expected}.
   *
   * @param expected the snapshot the change was computed from
   * @param updated the new snapshot, same id and tenant
   * @return {@code true} if replaced, {@code false} if the stored anomaly has changed meanwhile
   *     (or is gone)
   * @throws ActiveAnomalyExistsException if {@code updated} reopens the anomaly while another
   *     active anomaly of the same tenant, type and subject is stored
   */
  boolean replace(Anomaly expected, Anomaly updated);

  /**
   * Finds an anomaly of a tenant.
   *
   * @param tenant the tenant
   * @param id the id
   * @return the anomaly, or empty if the tenant has none with that id
   */
  Optional<Anomaly> find(String tenant, String id);

  /**
   * Lists a tenant's anomalies detected at or after {@code detectedSince}, newest first (ties
   * by id).
   *
   * @param tenant the tenant
   * @param type only this type, or {@code null} for all
   * @param detectedSince the earliest detection time
   * @return the matches, newest first
   */
  List<Anomaly> list(String tenant, String type, Instant detectedSince);

  /**
   * Returns one page of {@link #list}. The default cuts it out of the full list; a database
   * should use {@code LIMIT}/{@code OFFSET} and a count.
   *
   * @param tenant the tenant
   * @param type only this type, or {@code null} for all
   * @param detectedSince the earliest detection time
   * @param page the zero-based page index, 0 or more
   * @param size the page size, 1 or more
   * @return the page, newest first; empty content when {@code page} is past the end
   */
  default AnomalyPage<Anomaly> page(
      String tenant, String type, Instant detectedSince, int page, int size) {
    return AnomalyPage.of(list(tenant, type, detectedSince), page, size);
  }

  /**
   * Finds the active (OPEN or VERIFYING) anomaly of a tenant, type and subject. The engine keeps
   * at most one and remembers it; it asks the store only before opening a new one, so that an
   * engine restarted over a persistent store still updates the anomaly it had opened. The
   * default scans {@link #list}.
   *
   * @param tenant the tenant
   * @param type the anomaly type
   * @param subject the subject
   * @return the active anomaly, or empty if there is none
   */
  default Optional<Anomaly> findActive(String tenant, String type, String subject) {
    for (Anomaly a : list(tenant, type, Instant.EPOCH)) {
      if (a.subject().equals(subject) && a.status().isActive()) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /**
   * Tells whether each call costs a round trip to another process (a database), so that the
   * engine batches the updates repeated findings make to an active anomaly (occurrences, last
   * seen, latest evidence, a higher severity) and writes them on its next tick, merged onto the
   * stored anomaly, instead of on each finding. New anomalies and status changes are always
   * written before the call that makes them returns. The default is {@code false}: every finding
   * is written at once.
   *
   * @return whether the engine should batch finding updates
   */
  default boolean batchesFindingUpdates() {
    return false;
  }

  /**
   * Removes closed anomalies whose {@link #lastActivity} is older than the retention period.
   * Called on engine ticks; the default does nothing.
   *
   * @param now the engine clock
   */
  default void expire(Instant now) {}
}
