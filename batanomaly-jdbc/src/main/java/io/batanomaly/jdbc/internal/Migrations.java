package io.batanomaly.jdbc.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The versioned SQL scripts of the store and the runner that applies them.
 *
 * <p>Scripts live on the class path under {@value #LOCATION}, named like Flyway's versioned
 * migrations: {@code V<version>__<description>.sql}, such as {@code V1__anomaly_store.sql}. Every
 * jar or directory on the class path may contribute scripts to that folder (a module adds its
 * tables with a {@code V<n>__} script of its own); they run in version order, each once. A
 * version given twice fails with both names. Statements in a script end with a {@code ;} at the
 * end of a line; {@code --} comments are allowed.
 *
 * <p>{@link #migrate} runs in one transaction under a lock (an advisory lock on PostgreSQL, an
 * immediate transaction on SQLite), so instances starting together apply each script once: the
 * first applies, the others wait, then find nothing left to do. Each applied script is recorded
 * in {@value #HISTORY_TABLE} with its checksum. {@link #validate} checks, without changing
 * anything, that every script has been applied unchanged.
 */
public final class Migrations {

  /** The class-path folder of the scripts. */
  public static final String LOCATION = "db/batanomaly";

  /** The table that records applied scripts. */
  public static final String HISTORY_TABLE = "batanomaly_schema_history";

  private static final Pattern NAME = Pattern.compile("V(\\d+(?:[._]\\d+)*)__(\\w+)\\.sql");
  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  /**
   * One script.
   *
   * @param version its version, such as {@code 1} or {@code 2.1}
   * @param description the name's description part
   * @param name the file name
   * @param sql the script text
   * @param checksum CRC32 of the script text
   */
  public record Script(String version, String description, String name, String sql,
      long checksum) {}

  private Migrations() {}

  /**
   * Finds every script under {@value #LOCATION} on a class loader's path, in version order.
   *
   * @param loader the class loader
   * @return the scripts
   * @throws IllegalStateException if two scripts share a version
   */
  public static List<Script> scripts(ClassLoader loader) {
    TreeMap<List<Long>, Script> byVersion = new TreeMap<>(Migrations::compareVersions);
    try {
      Enumeration<URL> roots = loader.getResources(LOCATION);
      while (roots.hasMoreElements()) {
        URL root = roots.nextElement();
        for (String name : list(root)) {
          Matcher m = NAME.matcher(name);
          if (!m.matches()) {
            continue;
          }
          String sql;
          try (InputStream in = loader.getResourceAsStream(LOCATION + "/" + name)) {
            if (in == null) {
              continue;
            }
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
          }
          String version = m.group(1).replace('_', '.');
          CRC32 crc = new CRC32();
          crc.update(sql.getBytes(StandardCharsets.UTF_8));
          Script script = new Script(version, m.group(2), name, sql, crc.getValue());
          Script other = byVersion.putIfAbsent(parse(version), script);
          if (other != null && !other.name().equals(name)) {
            throw new IllegalStateException("Two migration scripts have version " + version
                + ": " + other.name() + " and " + name + " (under " + LOCATION + ")");
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the migration scripts under " + LOCATION, e);
    }
    return List.copyOf(byVersion.values());
  }

  private static List<String> list(URL root) throws IOException {
    List<String> names = new ArrayList<>();
    if ("file".equals(root.getProtocol())) {
      Path dir;
      try {
        dir = Paths.get(root.toURI());
      } catch (URISyntaxException e) {
        dir = Paths.get(URLDecoder.decode(root.getPath(), StandardCharsets.UTF_8));
      }
      try (Stream<Path> files = Files.list(dir)) {
        files.forEach(p -> names.add(p.getFileName().toString()));
      }
    } else if ("jar".equals(root.getProtocol())) {
      JarURLConnection conn = (JarURLConnection) root.openConnection();
      conn.setUseCaches(false);
      try (JarFile jar = conn.getJarFile()) {
        String prefix = LOCATION + "/";
        for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
          String entry = e.nextElement().getName();
          if (entry.startsWith(prefix) && entry.indexOf('/', prefix.length()) < 0
              && entry.length() > prefix.length()) {
            names.add(entry.substring(prefix.length()));
          }
        }
      }
    } else {
      LOG.warn("Migration scripts under {} are not read: unsupported location {}", LOCATION,
          root);
    }
    return names;
  }

  private static List<Long> parse(String version) {
    List<Long> parts = new ArrayList<>();
    for (String p : version.split("\\.")) {
      parts.add(Long.parseLong(p));
    }
    return parts;
  }

  private static int compareVersions(List<Long> a, List<Long> b) {
    for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
      long x = i < a.size() ? a.get(i) : 0;
      long y = i < b.size() ? b.get(i) : 0;
      if (x != y) {
        return Long.compare(x, y);
      }
    }
    return 0;
  }

  /**
   * Applies the scripts not yet applied, in one transaction under the migration lock.
   *
   * @param dataSource the database
   * @param scripts the scripts, in version order
   * @return the scripts applied now (empty if the schema was up to date)
   * @throws IllegalStateException if an applied script has changed since, or a script fails
   *     (nothing of this run is kept)
   */
  public static List<Script> migrate(DataSource dataSource, List<Script> scripts) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      Dialect dialect = Dialect.of(c);
      dialect.beginLocked(c);
      boolean ok = false;
      try {
        try (Statement s = c.createStatement()) {
          s.execute("CREATE TABLE IF NOT EXISTS " + HISTORY_TABLE + " ("
              + " version VARCHAR(50) NOT NULL PRIMARY KEY,"
              + " description VARCHAR(200) NOT NULL,"
              + " script VARCHAR(1000) NOT NULL,"
              + " checksum BIGINT NOT NULL,"
              + " installed_at BIGINT NOT NULL)");
        }
        Map<String, Long> applied = applied(c);
        List<Script> done = new ArrayList<>();
        for (Script script : scripts) {
          Long checksum = applied.get(script.version());
          if (checksum != null) {
            requireUnchanged(script, checksum);
            continue;
          }
          for (String sql : statements(script.sql())) {
            try (Statement s = c.createStatement()) {
              s.execute(sql);
            } catch (SQLException e) {
              throw new IllegalStateException("Migration " + script.name() + " failed at: "
                  + sql + " (" + e.getMessage() + ")", e);
            }
          }
          try (PreparedStatement p = c.prepareStatement("INSERT INTO " + HISTORY_TABLE
              + " (version, description, script, checksum, installed_at) VALUES (?,?,?,?,?)")) {
            p.setString(1, script.version());
            p.setString(2, script.description());
            p.setString(3, script.name());
            p.setLong(4, script.checksum());
            p.setLong(5, System.currentTimeMillis());
            p.executeUpdate();
          }
          done.add(script);
        }
        ok = true;
        if (!done.isEmpty()) {
          LOG.info("Applied {} migration(s) to the anomaly store: {}", done.size(),
              done.stream().map(Script::name).toList());
        }
        return done;
      } finally {
        dialect.end(c, ok);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Could not migrate the anomaly store schema: "
          + e.getMessage(), e);
    }
  }

  /**
   * Checks that every script has been applied, unchanged.
   *
   * @param dataSource the database
   * @param scripts the scripts
   * @throws IllegalStateException naming every script missing or changed
   */
  public static void validate(DataSource dataSource, List<Script> scripts) {
    Map<String, Long> applied;
    try (Connection c = dataSource.getConnection()) {
      applied = applied(c);
    } catch (SQLException e) {
      throw new IllegalStateException("Could not read " + HISTORY_TABLE + " to validate the"
          + " anomaly store schema (ANOMALY_JDBC_SCHEMA=validate): " + e.getMessage(), e);
    }
    List<String> problems = new ArrayList<>();
    for (Script script : scripts) {
      Long checksum = applied.get(script.version());
      if (checksum == null) {
        problems.add(script.name() + " is not applied");
      } else if (checksum != script.checksum()) {
        problems.add(script.name() + " has changed since it was applied (checksum " + checksum
            + " recorded, " + script.checksum() + " now)");
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException("The anomaly store schema is not up to date: "
          + String.join("; ", problems) + ". Run with ANOMALY_JDBC_SCHEMA=migrate, or apply the"
          + " scripts under classpath:" + LOCATION + " with your migration tool");
    }
  }

  private static void requireUnchanged(Script script, long checksum) {
    if (checksum != script.checksum()) {
      throw new IllegalStateException("Migration " + script.name() + " has changed since it was"
          + " applied (checksum " + checksum + " recorded, " + script.checksum() + " now)");
    }
  }

  private static Map<String, Long> applied(Connection c) throws SQLException {
    Map<String, Long> applied = new TreeMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT version, checksum FROM " + HISTORY_TABLE)) {
      while (rs.next()) {
        applied.put(rs.getString(1), rs.getLong(2));
      }
    }
    return applied;
  }

  /**
   * Splits a script into statements: each ends with a {@code ;} at the end of a line; lines
   * starting with {@code --} are comments.
   *
   * @param script the script text
   * @return the statements, without their {@code ;}
   */
  public static List<String> statements(String script) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\r?\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("--")) {
        continue;
      }
      if (trimmed.endsWith(";")) {
        current.append(trimmed, 0, trimmed.length() - 1);
        if (!current.toString().isBlank()) {
          out.add(current.toString().strip());
        }
        current.setLength(0);
      } else {
        current.append(trimmed).append('\n');
      }
    }
    if (!current.toString().isBlank()) {
      out.add(current.toString().strip());
    }
    return out;
  }
}
