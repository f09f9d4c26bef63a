package io.batanomaly.jdbc.internal;

import io.batanomaly.api.Severity;
import io.batanomaly.spi.SuppressionStore;
import java.time.Instant;
import java.util.Optional;

/**
 * Cooldown and dismissal suppressions in {@code batanomaly_suppression}, one row per tenant,
 * type and subject (keyed by their hash), written with an upsert. Expiry runs on one instance at
 * a time. Thread-safe.
 */
public final class JdbcSuppressionStore implements SuppressionStore {

  private final Sql sql;
  private final LeaseLock lease;

  /**
   * Creates the store.
   *
   * @param sql the database
   * @param lease the expiry lease of this instance
   */
  public JdbcSuppressionStore(Sql sql, LeaseLock lease) {
    this.sql = sql;
    this.lease = lease;
  }

  @Override
  public void save(Suppression s) {
    sql.update("INSERT INTO batanomaly_suppression (key_hash, tenant, type, subject, until_at,"
        + " ceiling) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key_hash) DO UPDATE SET"
        + " until_at = excluded.until_at, ceiling = excluded.ceiling",
        JdbcAnomalyRepository.keyHash(s.tenant(), s.type(), s.subject()), s.tenant(), s.type(),
        s.subject(), s.until().toEpochMilli(), s.ceiling() == null ? null : s.ceiling().name());
  }

  @Override
  public Optional<Suppression> find(String tenant, String type, String subject) {
    return sql.query("SELECT until_at, ceiling FROM batanomaly_suppression WHERE key_hash = ?",
        rs -> {
          String ceiling = rs.getString(2);
          return new Suppression(tenant, type, subject, Instant.ofEpochMilli(rs.getLong(1)),
              ceiling == null ? null : Severity.valueOf(ceiling));
        }, JdbcAnomalyRepository.keyHash(tenant, type, subject)).stream().findFirst();
  }

  @Override
  public void remove(String tenant, String type, String subject) {
    sql.update("DELETE FROM batanomaly_suppression WHERE key_hash = ?",
        JdbcAnomalyRepository.keyHash(tenant, type, subject));
  }

  @Override
  public void expire(Instant now) {
    if (lease.tryAcquire("expiry.suppressions", now)) {
      sql.update("DELETE FROM batanomaly_suppression WHERE until_at <= ?", now.toEpochMilli());
    }
  }
}
