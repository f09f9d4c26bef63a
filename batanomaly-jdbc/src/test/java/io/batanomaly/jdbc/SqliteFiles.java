package io.batanomaly.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** Real SQLite files in a temporary directory, and data sources on them. */
final class SqliteFiles {

  private SqliteFiles() {}

  /** @return the URL of a new, empty database file */
  static String newUrl() {
    try {
      Path dir = Files.createTempDirectory("batanomaly-sqlite");
      dir.toFile().deleteOnExit();
      return "jdbc:sqlite:" + dir.resolve("anomalies.db");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @return a data source on the file, as another process would open it */
  static DataSource dataSource(String url) {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setBusyTimeout(10_000);
    SQLiteDataSource ds = new SQLiteDataSource(config);
    ds.setUrl(url);
    return ds;
  }
}
