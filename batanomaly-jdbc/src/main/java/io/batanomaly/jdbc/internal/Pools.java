package io.batanomaly.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Opens a data source for a URL: a HikariCP pool when HikariCP is on the class path, otherwise
 * a data source that opens a connection per call through {@link DriverManager}.
 */
public final class Pools {

  private Pools() {}

  /** An open data source and how to close it. */
  public record Opened(DataSource dataSource, AutoCloseable closer) {}

  /**
   * Opens a data source.
   *
   * @param url the JDBC URL
   * @param user the user, or empty
   * @param password the password, or empty
   * @param poolSize connections in the pool
   * @return the data source
   */
  public static Opened open(String url, String user, String password, int poolSize) {
    boolean hikari;
    try {
      Class.forName("com.zaxxer.hikari.HikariDataSource", false, Pools.class.getClassLoader());
      hikari = true;
    } catch (ClassNotFoundException e) {
      hikari = false;
    }
    if (hikari) {
      HikariDataSource ds = Hikari.open(url, user, password, poolSize);
      return new Opened(ds, ds::close);
    }
    DataSource ds = new DriverManagerDataSource(url, user, password);
    return new Opened(ds, () -> { });
  }

  /** Kept apart so the HikariCP classes load only when HikariCP is present. */
  private static final class Hikari {
    static HikariDataSource open(String url, String user, String password, int poolSize) {
      HikariConfig c = new HikariConfig();
      c.setJdbcUrl(url);
      if (!user.isEmpty()) {
        c.setUsername(user);
      }
      if (!password.isEmpty()) {
        c.setPassword(password);
      }
      c.setPoolName("batanomaly-jdbc");
      c.setMaximumPoolSize(poolSize);
      c.setMinimumIdle(Math.min(2, poolSize));
      // a database that is down costs a caller at most this long before findings are buffered
      c.setConnectionTimeout(2_000);
      c.setValidationTimeout(1_000);
      if (url.startsWith("jdbc:postgresql:")) {
        c.addDataSourceProperty("connectTimeout", "2");
        c.addDataSourceProperty("socketTimeout", "30");
      }
      if (url.startsWith("jdbc:sqlite:")) {
        c.setConnectionInitSql("PRAGMA journal_mode = WAL");
      }
      return new HikariDataSource(c);
    }
  }

  /** One new connection per call. */
  private static final class DriverManagerDataSource implements DataSource {
    private final String url;
    private final Properties props = new Properties();

    DriverManagerDataSource(String url, String user, String password) {
      this.url = url;
      if (!user.isEmpty()) {
        props.setProperty("user", user);
      }
      if (!password.isEmpty()) {
        props.setProperty("password", password);
      }
    }

    @Override
    public Connection getConnection() throws SQLException {
      return DriverManager.getConnection(url, props);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
      return DriverManager.getConnection(url, username, password);
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {
      DriverManager.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() {
      return DriverManager.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return false;
    }
  }
}
