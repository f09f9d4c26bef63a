package io.batanomaly.jdbc.internal;

import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyPage;
import io.batanomaly.spi.ActiveAnomalyExistsException;
import io.batanomaly.spi.AnomalyRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Anomalies in {@code batanomaly_anomaly}: one row per anomaly with its JSON body, a version
 * column compared on every update, and a partial unique index that allows one active anomaly per
 * tenant, type and subject. Retention deletes closed anomalies whose last activity is older than
 * the retention period, on one instance at a time. Thread-safe; every call is one statement.
 */
public final class JdbcAnomalyRepository implements AnomalyRepository {

  private static final String COLUMNS = "tenant, id, type, subject, key_hash, status, severity,"
      + " detected_at, last_activity, version, body";

  private final Sql sql;
  private final LeaseLock lease;
  private final Duration retention;

  /**
   * Creates the repository.
   *
   * @param sql the database
   * @param lease the expiry lease of this instance
   * @param retention how long a closed anomaly is kept after its last activity
   */
  public JdbcAnomalyRepository(Sql sql, LeaseLock lease, Duration retention) {
    this.sql = sql;
    this.lease = lease;
    this.retention = retention;
  }

  static String keyHash(String tenant, String type, String subject) {
    return Sql.hash(tenant, type, subject);
  }

  @Override
  public void insert(Anomaly a) {
    try {
      sql.update("INSERT INTO batanomaly_anomaly (" + COLUMNS + ")"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", a.tenant(), a.id(), a.type(),
          a.subject(), keyHash(a.tenant(), a.type(), a.subject()), a.status().name(),
          a.severity().name(), a.detectedAt().toEpochMilli(),
          AnomalyRepository.lastActivity(a).toEpochMilli(), AnomalyRepository.version(a),
          AnomalyCodec.write(a));
    } catch (Sql.UniqueViolation e) {
      if (find(a.tenant(), a.id()).isPresent()) {
        throw new IllegalArgumentException("anomaly id '" + a.id() + "' already stored", e);
      }
      throw new ActiveAnomalyExistsException(a.tenant(), a.type(), a.subject(), e);
    }
  }

  @Override
  public boolean replace(Anomaly expected, Anomaly updated) {
    if (!expected.id().equals(updated.id()) || !expected.tenant().equals(updated.tenant())) {
      throw new IllegalArgumentException("replace must keep the id and tenant, but '"
          + expected.tenant() + "/" + expected.id() + "' would become '" + updated.tenant() + "/"
          + updated.id() + "'");
    }
    try {
      return sql.update("UPDATE batanomaly_anomaly SET status = ?, severity = ?,"
          + " last_activity = ?, version = ?, body = ? WHERE tenant = ? AND id = ? AND version = ?",
          updated.status().name(), updated.severity().name(),
          AnomalyRepository.lastActivity(updated).toEpochMilli(), AnomalyRepository.version(updated),
          AnomalyCodec.write(updated), expected.tenant(), expected.id(),
          AnomalyRepository.version(expected)) == 1;
    } catch (Sql.UniqueViolation e) {
      throw new ActiveAnomalyExistsException(updated.tenant(), updated.type(), updated.subject(),
          e);
    }
  }

  @Override
  public Optional<Anomaly> find(String tenant, String id) {
    if (tenant == null || id == null) {
      return Optional.empty();
    }
    return sql.query("SELECT body FROM batanomaly_anomaly WHERE tenant = ? AND id = ?",
        rs -> AnomalyCodec.read(rs.getString(1)), tenant, id).stream().findFirst();
  }

  @Override
  public List<Anomaly> list(String tenant, String type, Instant detectedSince) {
    if (tenant == null) {
      return List.of();
    }
    return type == null
        ? sql.query("SELECT body FROM batanomaly_anomaly WHERE tenant = ? AND detected_at >= ?"
            + " ORDER BY detected_at DESC, id", rs -> AnomalyCodec.read(rs.getString(1)),
            tenant, sinceMillis(detectedSince))
        : sql.query("SELECT body FROM batanomaly_anomaly WHERE tenant = ? AND type = ?"
            + " AND detected_at >= ? ORDER BY detected_at DESC, id",
            rs -> AnomalyCodec.read(rs.getString(1)), tenant, type, sinceMillis(detectedSince));
  }

  /** Detection times are stored to the millisecond; the bound is cut down to one too. */
  private static long sinceMillis(Instant since) {
    return since.toEpochMilli();
  }

  @Override
  public AnomalyPage<Anomaly> page(String tenant, String type, Instant detectedSince, int page,
      int size) {
    if (page < 0 || size < 1) {
      throw new IllegalArgumentException("page must be 0 or more and size 1 or more, but were "
          + page + " and " + size);
    }
    String where = type == null ? " WHERE tenant = ? AND detected_at >= ?"
        : " WHERE tenant = ? AND type = ? AND detected_at >= ?";
    Object[] params = type == null ? new Object[] {tenant, sinceMillis(detectedSince)}
        : new Object[] {tenant, type, sinceMillis(detectedSince)};
    long total = sql.query("SELECT COUNT(*) FROM batanomaly_anomaly" + where,
        rs -> rs.getLong(1), params).get(0);
    Object[] pageParams = java.util.Arrays.copyOf(params, params.length + 2);
    pageParams[params.length] = size;
    pageParams[params.length + 1] = (long) page * size;
    List<Anomaly> content = sql.query("SELECT body FROM batanomaly_anomaly" + where
        + " ORDER BY detected_at DESC, id LIMIT ? OFFSET ?",
        rs -> AnomalyCodec.read(rs.getString(1)), pageParams);
    int totalPages = (int) ((total + size - 1) / size);
    return new AnomalyPage<>(content, total, totalPages, page, size);
  }

  @Override
  public Optional<Anomaly> findActive(String tenant, String type, String subject) {
    return sql.query("SELECT body FROM batanomaly_anomaly WHERE key_hash = ?"
            + " AND status IN ('OPEN', 'VERIFYING')", rs -> AnomalyCodec.read(rs.getString(1)),
            keyHash(tenant, type, subject)).stream()
        .filter(a -> a.tenant().equals(tenant) && a.type().equals(type)
            && a.subject().equals(subject))
        .findFirst();
  }

  /** Finding updates are batched per tick: each call is a round trip to the database. */
  @Override
  public boolean batchesFindingUpdates() {
    return true;
  }

  @Override
  public void expire(Instant now) {
    if (lease.tryAcquire("expiry.anomalies", now)) {
      sql.update("DELETE FROM batanomaly_anomaly WHERE status IN ('RESOLVED', 'DISMISSED')"
          + " AND last_activity < ?", now.minus(retention).toEpochMilli());
    }
  }
}
