package io.batanomaly.jdbc;

import java.util.Locale;

/** What {@link JdbcStore} does with its schema when it is built. */
public enum SchemaMode {
  /**
   * Applies the scripts under {@code classpath:db/batanomaly} not yet applied, in version order,
   * in one transaction under a database lock, and records them in
   * {@code batanomaly_schema_history}.
   */
  MIGRATE,
  /** Checks that every script has been applied unchanged and fails the build otherwise. */
  VALIDATE,
  /** Leaves the schema alone: the host applies the scripts (with Flyway, say). */
  NONE;

  /**
   * Parses a mode as {@code ANOMALY_JDBC_SCHEMA} gives it.
   *
   * @param text {@code migrate}, {@code validate} or {@code none}, any case
   * @return the mode
   * @throws IllegalArgumentException for any other text
   */
  public static SchemaMode parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "ANOMALY_JDBC_SCHEMA must be one of migrate, validate, none, but was '" + text + "'", e);
    }
  }
}
