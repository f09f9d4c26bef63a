package io.batanomaly.jdbc.internal;

import io.batanomaly.notify.DeadLetter;
import io.batanomaly.notify.Outbox;
import io.batanomaly.notify.OutboxEntry;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One notifier's {@link Outbox} in {@code batanomaly_outbox}, keyed by channel, delivery id and
 * target id. Every operation is one statement (the dead-letter cap and {@link #takeDeadLetters}
 * a short sequence of them, each row taken by the one delete that removes it, so two instances
 * never take the same dead letter). Thread-safe.
 */
public final class JdbcOutbox implements Outbox {
  private static final String COLUMNS = "delivery_id, target_id, tenant, event, anomaly_id,"
      + " body, created_at, attempts, next_attempt_at, last_status, last_reason, failed_at,"
      + " reason";
  private static final String INSERT = "INSERT INTO batanomaly_outbox (channel, delivery_id,"
      + " target_id, tenant, event, anomaly_id, body, created_at, attempts, next_attempt_at,"
      + " last_status, last_reason, state, failed_at, reason)";
  private static final String ADD = INSERT
      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'P', NULL, NULL)"
      + " ON CONFLICT (channel, delivery_id, target_id) DO UPDATE SET attempts ="
      + " excluded.attempts, next_attempt_at = excluded.next_attempt_at, last_status ="
      + " excluded.last_status, last_reason = excluded.last_reason, state = 'P',"
      + " failed_at = NULL, reason = NULL";
  private static final String DEAD = INSERT
      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'D', ?, ?)"
      + " ON CONFLICT (channel, delivery_id, target_id) DO UPDATE SET attempts ="
      + " excluded.attempts, next_attempt_at = excluded.next_attempt_at, last_status ="
      + " excluded.last_status, last_reason = excluded.last_reason, state = 'D',"
      + " failed_at = excluded.failed_at, reason = excluded.reason";

  private final Sql sql;
  private final String channel;
  private final int deadLetterCap;

  /**
   * Creates the outbox of one channel.
   *
   * @param sql the database
   * @param channel the notifier, such as {@code webhook}
   * @param deadLetterCap dead letters kept at most
   * @throws IllegalArgumentException if {@code deadLetterCap} is less than 1
   */
  public JdbcOutbox(Sql sql, String channel, int deadLetterCap) {
    if (deadLetterCap < 1) {
      throw new IllegalArgumentException("deadLetterCap must be at least 1, but was '"
          + deadLetterCap + "'");
    }
    this.sql = sql;
    this.channel = channel;
    this.deadLetterCap = deadLetterCap;
  }

  @Override
  public boolean durable() {
    return true;
  }

  @Override
  public void add(OutboxEntry e) {
    sql.update(ADD, channel, e.deliveryId(), e.targetId(), e.tenant(), e.event(),
        e.anomalyId(), e.body(), e.createdAt().toEpochMilli(), e.attempts(),
        e.nextAttemptAt().toEpochMilli(), e.lastStatus(), e.lastReason());
  }

  @Override
  public void update(OutboxEntry e) {
    sql.update("UPDATE batanomaly_outbox SET attempts = ?, next_attempt_at = ?, last_status = ?,"
        + " last_reason = ? WHERE channel = ? AND delivery_id = ? AND target_id = ?"
        + " AND state = 'P'", e.attempts(), e.nextAttemptAt().toEpochMilli(), e.lastStatus(),
        e.lastReason(), channel, e.deliveryId(), e.targetId());
  }

  @Override
  public void remove(String deliveryId, String targetId) {
    sql.update("DELETE FROM batanomaly_outbox WHERE channel = ? AND delivery_id = ?"
        + " AND target_id = ? AND state = 'P'", channel, deliveryId, targetId);
  }

  @Override
  public int deadLetter(OutboxEntry e, Instant failedAt, String reason) {
    sql.update(DEAD, channel, e.deliveryId(), e.targetId(), e.tenant(), e.event(),
        e.anomalyId(), e.body(), e.createdAt().toEpochMilli(), e.attempts(),
        e.nextAttemptAt().toEpochMilli(), e.lastStatus(), e.lastReason(),
        failedAt.toEpochMilli(), reason);
    // the newest deadLetterCap stay; every older one is dropped
    List<String[]> over = sql.query("SELECT delivery_id, target_id FROM batanomaly_outbox"
        + " WHERE channel = ? AND state = 'D' ORDER BY failed_at DESC, delivery_id DESC,"
        + " target_id DESC " + limitAll() + "OFFSET ?",
        rs -> new String[] {rs.getString(1), rs.getString(2)}, channel, deadLetterCap);
    int dropped = 0;
    for (String[] key : over) {
      dropped += sql.update("DELETE FROM batanomaly_outbox WHERE channel = ? AND delivery_id = ?"
          + " AND target_id = ? AND state = 'D'", channel, key[0], key[1]);
    }
    return dropped;
  }

  /** "No limit" before an OFFSET: {@code LIMIT ALL} on PostgreSQL, {@code LIMIT -1} on SQLite. */
  private String limitAll() {
    return sql.dialect() == Dialect.POSTGRESQL ? "LIMIT ALL " : "LIMIT -1 ";
  }

  @Override
  public List<OutboxEntry> pending() {
    return sql.query("SELECT " + COLUMNS + " FROM batanomaly_outbox WHERE channel = ?"
        + " AND state = 'P' ORDER BY created_at, delivery_id, target_id", JdbcOutbox::entry,
        channel);
  }

  @Override
  public List<DeadLetter> deadLetters() {
    return sql.query("SELECT " + COLUMNS + " FROM batanomaly_outbox WHERE channel = ?"
        + " AND state = 'D' ORDER BY failed_at, delivery_id, target_id", JdbcOutbox::deadLetter,
        channel);
  }

  @Override
  public List<DeadLetter> takeDeadLetters(String deliveryId) {
    List<DeadLetter> candidates = deliveryId == null ? deadLetters()
        : sql.query("SELECT " + COLUMNS + " FROM batanomaly_outbox WHERE channel = ?"
            + " AND state = 'D' AND delivery_id = ? ORDER BY failed_at, target_id",
            JdbcOutbox::deadLetter, channel, deliveryId);
    List<DeadLetter> taken = new ArrayList<>();
    for (DeadLetter l : candidates) {
      if (sql.update("DELETE FROM batanomaly_outbox WHERE channel = ? AND delivery_id = ?"
          + " AND target_id = ? AND state = 'D'", channel, l.deliveryId(), l.targetId()) == 1) {
        taken.add(l);
      }
    }
    return taken;
  }

  private static OutboxEntry entry(ResultSet rs) throws SQLException {
    return new OutboxEntry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
        rs.getString(5), rs.getString(6), Instant.ofEpochMilli(rs.getLong(7)), rs.getInt(8),
        Instant.ofEpochMilli(rs.getLong(9)), rs.getInt(10), rs.getString(11));
  }

  private static DeadLetter deadLetter(ResultSet rs) throws SQLException {
    return DeadLetter.of(entry(rs), Instant.ofEpochMilli(rs.getLong(12)), rs.getString(13));
  }
}
