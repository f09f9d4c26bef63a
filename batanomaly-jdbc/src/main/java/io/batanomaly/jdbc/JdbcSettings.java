package io.batanomaly.jdbc;

import io.batanomaly.Setting;
import java.util.List;

/** The {@code ANOMALY_JDBC_*} settings, read when the store is built from the configuration. */
public final class JdbcSettings {

  private JdbcSettings() {}

  /** The database; unset leaves the engine on the in-memory store. */
  public static final Setting<String> URL = Setting.text("ANOMALY_JDBC_URL", "",
      "JDBC URL of the anomaly store (jdbc:postgresql://host/db or jdbc:sqlite:/path/file.db);"
          + " when set and batanomaly-jdbc is on the class path, anomalies, Idempotency-Key"
          + " outcomes and suppressions are kept there");

  /** The database user. */
  public static final Setting<String> USER = Setting.text("ANOMALY_JDBC_USER", "",
      "database user of ANOMALY_JDBC_URL");

  /** The database password. */
  public static final Setting<String> PASSWORD = Setting.text("ANOMALY_JDBC_PASSWORD", "",
      "database password of ANOMALY_JDBC_USER (never logged)");

  /** Connections of the pool the store opens for {@link #URL}. */
  public static final Setting<Integer> POOL_SIZE = Setting.positiveInt("ANOMALY_JDBC_POOL_SIZE",
      10, "connections in the pool (HikariCP) the store opens for ANOMALY_JDBC_URL");

  /** What the store does with its schema when it starts. */
  public static final Setting<String> SCHEMA = Setting.oneOf("ANOMALY_JDBC_SCHEMA", "migrate",
      List.of("migrate", "validate", "none"), "at start: migrate applies the scripts not yet"
          + " applied (under a lock), validate only checks that all are, none does neither (a"
          + " host that runs Flyway on classpath:db/batanomaly)");

  /**
   * Every JDBC setting, in settings-table order.
   *
   * @return the settings
   */
  public static List<Setting<?>> all() {
    return List.of(URL, USER, PASSWORD, POOL_SIZE, SCHEMA);
  }
}
