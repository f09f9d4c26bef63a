package io.batanomaly.jdbc.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.sql.DataSource;

/**
 * Runs one statement per call on a connection borrowed from the data source and returned at
 * once, in auto-commit mode: every store operation is a single atomic statement (or a short
 * sequence whose correctness does not need a transaction). A {@link SQLException} becomes a
 * {@link StoreException}. Thread-safe.
 */
public final class Sql {

  /** Maps one row. */
  @FunctionalInterface
  public interface Row<T> {
    /**
     * Maps the current row.
     *
     * @param rs the result set, on the row
     * @return the value
     * @throws SQLException if a column cannot be read
     */
    T map(ResultSet rs) throws SQLException;
  }

  private final DataSource dataSource;
  private final Dialect dialect;

  /**
   * Creates the runner.
   *
   * @param dataSource the database
   * @param dialect its dialect
   */
  public Sql(DataSource dataSource, Dialect dialect) {
    this.dataSource = dataSource;
    this.dialect = dialect;
  }

  /** @return the dialect */
  public Dialect dialect() {
    return dialect;
  }

  private Connection connect() throws SQLException {
    Connection c = dataSource.getConnection();
    if (dialect == Dialect.SQLITE) {
      // writers from several threads wait for each other instead of failing with SQLITE_BUSY
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA busy_timeout = 10000");
      } catch (SQLException e) {
        c.close();
        throw e;
      }
    }
    if (!c.getAutoCommit()) {
      c.setAutoCommit(true);
    }
    return c;
  }

  /**
   * Runs an insert, update or delete.
   *
   * @param sql the statement
   * @param params its parameters
   * @return the number of rows changed
   * @throws UniqueViolation if a unique constraint refused the change
   * @throws StoreException if the database fails otherwise
   */
  public int update(String sql, Object... params) {
    try (Connection c = connect(); PreparedStatement p = c.prepareStatement(sql)) {
      bind(p, params);
      return p.executeUpdate();
    } catch (SQLException e) {
      if (Dialect.isUniqueViolation(e)) {
        throw new UniqueViolation(e);
      }
      throw new StoreException(sql, e);
    }
  }

  /**
   * Runs a query.
   *
   * @param sql the query
   * @param row maps each row
   * @param params its parameters
   * @param <T> the row type
   * @return the rows
   * @throws StoreException if the database fails
   */
  public <T> List<T> query(String sql, Row<T> row, Object... params) {
    try (Connection c = connect(); PreparedStatement p = c.prepareStatement(sql)) {
      bind(p, params);
      List<T> out = new ArrayList<>();
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.add(row.map(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException(sql, e);
    }
  }

  private static void bind(PreparedStatement p, Object[] params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      Object v = params[i];
      if (v == null) {
        p.setNull(i + 1, Types.VARCHAR);
      } else if (v instanceof Long l) {
        p.setLong(i + 1, l);
      } else if (v instanceof Integer n) {
        p.setInt(i + 1, n);
      } else {
        p.setString(i + 1, v.toString());
      }
    }
  }

  /**
   * Returns the SHA-256 of some text parts, in hex, each part length-prefixed so that
   * ("ab", "c") and ("a", "bc") differ.
   *
   * @param parts the parts
   * @return 64 hex characters
   */
  public static String hash(String... parts) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String part : parts) {
        sha.update((part.length() + ":").getBytes(StandardCharsets.UTF_8));
        sha.update(part.getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** The database failed; the message names the statement. */
  public static class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StoreException(String sql, SQLException cause) {
      super("The anomaly store failed (" + cause.getMessage() + ") running: " + sql, cause);
    }
  }

  /** A unique constraint refused the change. */
  public static final class UniqueViolation extends StoreException {
    private static final long serialVersionUID = 1L;

    UniqueViolation(SQLException cause) {
      super("a unique-constraint check", cause);
    }
  }
}
