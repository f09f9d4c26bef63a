package io.batanomaly.jdbc.internal;

import java.time.Instant;

/**
 * A named lease in {@code batanomaly_lease} that lets one instance at a time run a periodic job,
 * after ShedLock's scheme: whoever finds the lease free (or expired, or already its own) takes
 * it for a while with one conditional {@code UPDATE}; the first ever creates the row with an
 * {@code INSERT … ON CONFLICT DO NOTHING}. The holder renews it each time it runs, so the job
 * stays on one instance until that instance stops; then, once the lease has run out, another
 * takes over. Times are the engine clock's.
 */
public final class LeaseLock {

  private final Sql sql;
  private final String owner;
  private final long leaseMillis;

  /**
   * Creates the lock handle of one instance.
   *
   * @param sql the database
   * @param owner this instance's id
   * @param leaseMillis how long a taken lease lasts
   */
  public LeaseLock(Sql sql, String owner, long leaseMillis) {
    this.sql = sql;
    this.owner = owner;
    this.leaseMillis = leaseMillis;
  }

  /**
   * Takes or renews a lease.
   *
   * @param name the job's name
   * @param now the engine clock
   * @return {@code true} if this instance holds the lease now
   */
  public boolean tryAcquire(String name, Instant now) {
    long nowMillis = now.toEpochMilli();
    long until = nowMillis + leaseMillis;
    if (sql.update("UPDATE batanomaly_lease SET owner = ?, lease_until = ? WHERE name = ?"
        + " AND (lease_until <= ? OR owner = ?)", owner, until, name, nowMillis, owner) == 1) {
      return true;
    }
    return sql.update("INSERT INTO batanomaly_lease (name, owner, lease_until) VALUES (?, ?, ?)"
        + " ON CONFLICT (name) DO NOTHING", name, owner, until) == 1;
  }
}
