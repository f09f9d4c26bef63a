package io.batanomaly.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * What differs between the two databases the store supports. The schema and every query are
 * the same on both (portable SQL: {@code BIGINT} epoch milliseconds for instants, {@code TEXT}
 * for JSON, partial unique indexes, {@code INSERT … ON CONFLICT}); only how the migration lock is
 * taken and how a unique violation is reported differ.
 */
public enum Dialect {
  /** PostgreSQL 12 or newer. */
  POSTGRESQL,
  /** SQLite 3.24 or newer, one file shared by the connections of one host. */
  SQLITE;

  /** The key of the advisory lock migrations take on PostgreSQL ("batanomaly" in ASCII, cut). */
  private static final long MIGRATION_LOCK_KEY = 0x626174616e6f6dL;

  /**
   * Recognises the database behind a connection.
   *
   * @param c the connection
   * @return the dialect
   * @throws SQLException if the metadata cannot be read
   * @throws IllegalStateException if the database is neither PostgreSQL nor SQLite
   */
  public static Dialect of(Connection c) throws SQLException {
    String product = c.getMetaData().getDatabaseProductName();
    String p = product == null ? "" : product.toLowerCase(Locale.ROOT);
    if (p.contains("postgres")) {
      return POSTGRESQL;
    }
    if (p.contains("sqlite")) {
      return SQLITE;
    }
    throw new IllegalStateException("batanomaly-jdbc supports PostgreSQL and SQLite, but the"
        + " database is '" + product + "'");
  }

  /**
   * Starts the migration transaction and takes the lock that keeps other instances out until it
   * ends: an advisory transaction lock on PostgreSQL, an immediate (write) transaction on SQLite.
   *
   * @param c a connection in auto-commit mode
   * @throws SQLException if the lock cannot be taken
   */
  public void beginLocked(Connection c) throws SQLException {
    if (this == POSTGRESQL) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK_KEY + ")");
      }
    } else {
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA busy_timeout = 30000");
        s.execute("BEGIN IMMEDIATE");
      }
    }
  }

  /**
   * Ends the migration transaction.
   *
   * @param c the connection given to {@link #beginLocked}
   * @param commit whether to commit, else roll back
   * @throws SQLException if the database refuses
   */
  public void end(Connection c, boolean commit) throws SQLException {
    if (this == POSTGRESQL) {
      if (commit) {
        c.commit();
      } else {
        c.rollback();
      }
      c.setAutoCommit(true);
    } else {
      try (Statement s = c.createStatement()) {
        s.execute(commit ? "COMMIT" : "ROLLBACK");
      }
    }
  }

  /**
   * Tells whether an error is a unique-constraint violation.
   *
   * @param e the error
   * @return {@code true} if it is
   */
  public static boolean isUniqueViolation(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        String msg = s.getMessage() == null ? "" : s.getMessage();
        if ("23505".equals(s.getSQLState()) || msg.contains("UNIQUE constraint failed")
            || msg.contains("SQLITE_CONSTRAINT_UNIQUE")
            || msg.contains("SQLITE_CONSTRAINT_PRIMARYKEY")) {
          return true;
        }
      }
    }
    return false;
  }
}
