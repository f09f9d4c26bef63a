package io.batanomaly.jdbc.internal;

import io.batanomaly.spi.IdempotencyStore;
import java.time.Instant;
import java.util.List;

/**
 * Idempotency-Key claims and outcomes in {@code batanomaly_idempotency}, shared by every instance
 * on the database. A claim is an {@code INSERT … ON CONFLICT DO NOTHING}; a key whose outcome has
 * expired, or whose holder's lease ran out for the same request, is taken over with one
 * conditional {@code UPDATE}; otherwise the row says replay, in flight or reused. Completing and
 * releasing are guarded by the owner token, so a holder whose lease was taken over changes
 * nothing. Expiry runs on one instance at a time. Thread-safe.
 */
public final class JdbcIdempotencyStore implements IdempotencyStore {

  private record Row(String fingerprint, int done, long leaseUntil, Long expiresAt,
      String outcome) {}

  private final Sql sql;
  private final LeaseLock lease;

  /**
   * Creates the store.
   *
   * @param sql the database
   * @param lease the expiry lease of this instance
   */
  public JdbcIdempotencyStore(Sql sql, LeaseLock lease) {
    this.sql = sql;
    this.lease = lease;
  }

  @Override
  public Claim claim(String tenant, String key, String fingerprint, String owner, Instant now,
      Instant leaseUntil) {
    long nowMillis = now.toEpochMilli();
    // a row can vanish between the steps (expiry, release): then start over
    for (int attempt = 0; attempt < 8; attempt++) {
      if (sql.update("INSERT INTO batanomaly_idempotency (tenant, idem_key, fingerprint, owner,"
          + " done, lease_until) VALUES (?, ?, ?, ?, 0, ?) ON CONFLICT (tenant, idem_key)"
          + " DO NOTHING", tenant, key, fingerprint, owner, leaseUntil.toEpochMilli()) == 1) {
        return new Claim.Acquired();
      }
      if (sql.update("UPDATE batanomaly_idempotency SET fingerprint = ?, owner = ?, done = 0,"
          + " lease_until = ?, expires_at = NULL, outcome = NULL WHERE tenant = ? AND idem_key = ?"
          + " AND ((done = 1 AND expires_at <= ?) OR (done = 0 AND lease_until <= ?"
          + " AND fingerprint = ?))", fingerprint, owner, leaseUntil.toEpochMilli(), tenant, key,
          nowMillis, nowMillis, fingerprint) == 1) {
        return new Claim.Acquired();
      }
      List<Row> rows = sql.query("SELECT fingerprint, done, lease_until, expires_at, outcome"
          + " FROM batanomaly_idempotency WHERE tenant = ? AND idem_key = ?",
          rs -> {
            long expires = rs.getLong(4);
            Long expiresAt = rs.wasNull() ? null : expires;
            return new Row(rs.getString(1), rs.getInt(2), rs.getLong(3), expiresAt,
                rs.getString(5));
          }, tenant, key);
      if (rows.isEmpty()) {
        continue;
      }
      Row row = rows.get(0);
      if (row.done() == 1 && row.expiresAt() != null && row.expiresAt() <= nowMillis) {
        continue; // expired between the update and the read
      }
      if (!row.fingerprint().equals(fingerprint)) {
        return new Claim.Reused();
      }
      if (row.done() == 1) {
        return new Claim.Replay(AnomalyCodec.readOutcome(row.outcome()));
      }
      if (row.leaseUntil() <= nowMillis) {
        continue; // the lease ran out between the update and the read
      }
      return new Claim.InFlight();
    }
    return new Claim.InFlight();
  }

  @Override
  public void complete(String tenant, String key, String owner, Outcome outcome, Instant now,
      Instant expiresAt) {
    sql.update("UPDATE batanomaly_idempotency SET done = 1, outcome = ?, expires_at = ?"
        + " WHERE tenant = ? AND idem_key = ? AND owner = ? AND done = 0",
        AnomalyCodec.writeOutcome(outcome), expiresAt.toEpochMilli(), tenant, key, owner);
  }

  @Override
  public void release(String tenant, String key, String owner) {
    sql.update("DELETE FROM batanomaly_idempotency WHERE tenant = ? AND idem_key = ?"
        + " AND owner = ? AND done = 0", tenant, key, owner);
  }

  @Override
  public void expire(Instant now) {
    if (lease.tryAcquire("expiry.idempotency", now)) {
      sql.update("DELETE FROM batanomaly_idempotency WHERE done = 1 AND expires_at <= ?",
          now.toEpochMilli());
    }
  }
}
