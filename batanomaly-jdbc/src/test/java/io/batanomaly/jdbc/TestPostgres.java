package io.batanomaly.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The real PostgreSQL server the tests run against: the one {@code BATANOMALY_TEST_PG_URL}
 * names (stopped and started through the script {@code BATANOMALY_TEST_PG_CTL} names, if any),
 * otherwise one started from Maven Central's embedded binaries for the whole test run. Without
 * either, a test is skipped, or fails under {@code CI=true}. Each store gets its own schema, so
 * tests never see each other's rows.
 */
final class TestPostgres {

  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private static TestPostgres instance;
  private static String unavailable;

  private final String url;
  private final String ctl;
  private final Path embeddedData;
  private final int embeddedPort;
  private EmbeddedPostgres embedded;
  private String stoppedCluster;

  private TestPostgres(String url, String ctl, EmbeddedPostgres embedded, Path data, int port) {
    this.url = url;
    this.ctl = ctl;
    this.embedded = embedded;
    this.embeddedData = data;
    this.embeddedPort = port;
  }

  /**
   * Returns the server, or skips the calling test (fails it under {@code CI=true}) when none
   * can be had.
   *
   * @return the server
   */
  static synchronized TestPostgres get() {
    if (instance == null && unavailable == null) {
      String url = System.getenv("BATANOMALY_TEST_PG_URL");
      if (url != null && !url.isBlank()) {
        instance = new TestPostgres(url, System.getenv("BATANOMALY_TEST_PG_CTL"), null, null, 0);
      } else {
        try {
          Path data = Files.createTempDirectory("batanomaly-pg");
          int port = freePort();
          EmbeddedPostgres pg = start(data, port, true);
          instance = new TestPostgres(pg.getJdbcUrl("postgres", "postgres"), null, pg, data,
              port);
          Runtime.getRuntime().addShutdownHook(new Thread(() -> instance.stopQuietly()));
        } catch (IOException | RuntimeException e) {
          unavailable = "no PostgreSQL: BATANOMALY_TEST_PG_URL is not set and the embedded server"
              + " did not start (" + e + ")";
        }
      }
    }
    if (instance == null) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        Assertions.fail(unavailable);
      }
      Assumptions.abort(unavailable);
    }
    return instance;
  }

  private static EmbeddedPostgres start(Path data, int port, boolean clean) throws IOException {
    return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(clean)
        .setPort(port).start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** @return the server's JDBC URL (with its user) */
  String url() {
    return url;
  }

  /** @return a new, empty schema's name */
  String newSchema() {
    String schema = "t" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
    try (Connection c = dataSource(null).getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create schema " + schema, e);
    }
    return schema;
  }

  /**
   * Returns a data source on one schema, as one instance of a host would have it.
   *
   * @param schema the schema, or {@code null} for the default
   * @return the data source
   */
  DataSource dataSource(String schema) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(url);
    if (schema != null) {
      ds.setCurrentSchema(schema);
    }
    ds.setConnectTimeout(2);
    ds.setSocketTimeout(30);
    return ds;
  }

  /** @return the JDBC URL of one schema, for {@code ANOMALY_JDBC_URL} */
  String url(String schema) {
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  /** @return whether the tests can stop and start this server */
  boolean canStopAndStart() {
    return embedded != null || (ctl != null && !ctl.isBlank());
  }

  /** Stops the server (fast shutdown: connections are cut). */
  synchronized void stop() {
    stoppedCluster = clusterId();
    if (embedded != null) {
      try {
        embedded.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    } else {
      run("stop");
    }
  }

  /** Starts the server again, on the same data and port. */
  synchronized void start() {
    if (embeddedData != null) {
      try {
        embedded = start(embeddedData, embeddedPort, false);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    } else {
      run("start");
    }
    String now = clusterId();
    if (!now.equals(stoppedCluster)) {
      throw new IllegalStateException("after the restart " + url + " is another server (cluster "
          + now + ", not " + stoppedCluster + "): its port was taken while it was stopped");
    }
  }

  /** @return the system identifier of the cluster that answers on the URL */
  private String clusterId() {
    try (Connection c = dataSource(null).getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT system_identifier FROM pg_control_system()")) {
      rs.next();
      return rs.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot identify the server on " + url, e);
    }
  }

  private void run(String action) {
    try {
      Process p = new ProcessBuilder(ctl, action).inheritIO().start();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(ctl + " " + action + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void stopQuietly() {
    try {
      if (embedded != null) {
        embedded.close();
      }
    } catch (IOException | RuntimeException ignored) {
      // the JVM is exiting
    }
  }
}
