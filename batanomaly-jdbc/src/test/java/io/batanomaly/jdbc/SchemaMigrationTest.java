package io.batanomaly.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyEngine;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The migration runner and the store's entry points, on real SQLite files. */
class SchemaMigrationTest {

  @TempDir
  Path scripts;

  private static List<String> applied(DataSource ds) throws SQLException {
    List<String> versions = new ArrayList<>();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(
            "SELECT version FROM batanomaly_schema_history ORDER BY installed_at, version")) {
      while (rs.next()) {
        versions.add(rs.getString(1));
      }
    }
    return versions;
  }

  private static boolean tableExists(DataSource ds, String table) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = '" + table + "'")) {
      return rs.next();
    }
  }

  private ClassLoader withScript(String name, String sql) throws Exception {
    Path dir = scripts.resolve("db/batanomaly");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(name), sql);
    return new URLClassLoader(new URL[] {scripts.toUri().toURL()},
        getClass().getClassLoader());
  }

  @Test
  void migrateAppliesEachScriptOnceAndRecordsIt() throws Exception {
    DataSource ds = SqliteFiles.dataSource(SqliteFiles.newUrl());
    JdbcStore.builder(ds).build();
    JdbcStore.builder(ds).build();
    assertThat(applied(ds)).containsExactly("1", "2");
    assertThat(tableExists(ds, "batanomaly_anomaly")).isTrue();
    assertThat(tableExists(ds, "batanomaly_outbox")).isTrue();
  }

  @Test
  void aScriptAnotherModuleAddsToTheFolderIsPickedUpByVersion() throws Exception {
    DataSource ds = SqliteFiles.dataSource(SqliteFiles.newUrl());
    JdbcStore.builder(ds).build();
    ClassLoader loader = withScript("V3__extra.sql",
        "-- a table of another module\nCREATE TABLE extra_outbox (\n  id BIGINT NOT NULL"
            + " PRIMARY KEY,\n  body TEXT\n);\nCREATE INDEX extra_outbox_body ON extra_outbox"
            + " (body);\n");
    JdbcStore.builder(ds).classLoader(loader).build();
    assertThat(applied(ds)).containsExactly("1", "2", "3");
    assertThat(tableExists(ds, "extra_outbox")).isTrue();
  }

  @Test
  void twoScriptsWithOneVersionFailNamingBoth() throws Exception {
    DataSource ds = SqliteFiles.dataSource(SqliteFiles.newUrl());
    ClassLoader loader = withScript("V1__clash.sql", "CREATE TABLE clash (id INTEGER);\n");
    assertThatThrownBy(() -> JdbcStore.builder(ds).classLoader(loader).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("V1__clash.sql").hasMessageContaining("V1__anomaly_store.sql");
  }

  @Test
  void aFailingScriptLeavesNothingOfItsRunBehind() throws Exception {
    DataSource ds = SqliteFiles.dataSource(SqliteFiles.newUrl());
    ClassLoader loader = withScript("V3__broken.sql",
        "CREATE TABLE half_done (id INTEGER);\nTHIS IS NOT SQL;\n");
    assertThatThrownBy(() -> JdbcStore.builder(ds).classLoader(loader).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("V3__broken.sql");
    assertThat(tableExists(ds, "half_done")).isFalse();
    assertThat(tableExists(ds, "batanomaly_anomaly")).isFalse();
  }

  @Test
  void validateRefusesAMissingOrChangedScriptAndNoneTouchesNothing() throws Exception {
    DataSource ds = SqliteFiles.dataSource(SqliteFiles.newUrl());
    assertThatThrownBy(() -> JdbcStore.builder(ds).schema(SchemaMode.VALIDATE).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("ANOMALY_JDBC_SCHEMA");
    JdbcStore.builder(ds).schema(SchemaMode.NONE).build();
    assertThat(tableExists(ds, "batanomaly_anomaly")).isFalse();
    JdbcStore.builder(ds).build();
    JdbcStore.builder(ds).schema(SchemaMode.VALIDATE).build();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE batanomaly_schema_history SET checksum = 1 WHERE version = '1'");
    }
    assertThatThrownBy(() -> JdbcStore.builder(ds).schema(SchemaMode.VALIDATE).build())
        .hasMessageContaining("V1__anomaly_store.sql has changed");
  }

  @Test
  void instancesStartingTogetherApplyTheSchemaOnce() throws Exception {
    String url = SqliteFiles.newUrl();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<JdbcStore>> started = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Callable<JdbcStore> start = () -> JdbcStore.builder(SqliteFiles.dataSource(url)).build();
        started.add(pool.submit(start));
      }
      for (Future<JdbcStore> f : started) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(applied(SqliteFiles.dataSource(url))).containsExactly("1", "2");
  }

  @Test
  void theEngineUsesTheStoreWhenTheUrlIsSetAndMemoryOtherwise() {
    String url = SqliteFiles.newUrl();
    AnomalyConfig config = AnomalyConfig.fromMap(Map.of("ANOMALY_JDBC_URL", url,
        "ANOMALY_JDBC_POOL_SIZE", "2"));
    try (AnomalyEngine engine = AnomalyEngine.builder().config(config).discoverDetectors(false)
        .autoTick(false).build()) {
      assertThat(engine.storeDescription()).isEqualTo(url);
      assertThat(engine.health().storeAvailable()).isTrue();
    }
    try (AnomalyEngine engine = AnomalyEngine.builder().discoverDetectors(false).autoTick(false)
        .build()) {
      assertThat(engine.storeDescription()).isEqualTo("in memory");
    }
    AnomalyConfig bad = AnomalyConfig.fromMap(Map.of("ANOMALY_JDBC_URL", url,
        "ANOMALY_JDBC_SCHEMA", "drop"));
    assertThatThrownBy(() -> AnomalyEngine.builder().config(bad).discoverDetectors(false)
        .build()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ANOMALY_JDBC_SCHEMA must be one of migrate, validate, none,"
            + " but was 'drop'");
  }
}
