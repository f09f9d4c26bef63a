package io.batanomaly.jdbc;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalySettings;
import io.batanomaly.jdbc.internal.Dialect;
import io.batanomaly.jdbc.internal.JdbcAnomalyRepository;
import io.batanomaly.jdbc.internal.JdbcIdempotencyStore;
import io.batanomaly.jdbc.internal.JdbcSuppressionStore;
import io.batanomaly.jdbc.internal.LeaseLock;
import io.batanomaly.jdbc.internal.Migrations;
import io.batanomaly.jdbc.internal.Pools;
import io.batanomaly.jdbc.internal.Sql;
import io.batanomaly.spi.AnomalyRepository;
import io.batanomaly.spi.AnomalyStore;
import io.batanomaly.spi.IdempotencyStore;
import io.batanomaly.spi.SuppressionStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The durable, shared anomaly store on PostgreSQL or SQLite: anomalies with their history,
 * Idempotency-Key claims and outcomes, and cooldown and dismissal suppressions, in the tables the
 * scripts under {@code classpath:db/batanomaly} create.
 *
 * <pre>{@code
 * JdbcStore store = JdbcStore.builder(dataSource)      // the host's pool
 *     .schema(SchemaMode.MIGRATE)
 *     .build();
 * AnomalyEngine engine = AnomalyEngine.builder().store(store).build();
 * }</pre>
 *
 * <p>With {@code ANOMALY_JDBC_URL} set and this module on the class path,
 * {@code AnomalyEngine.builder().build()} builds one itself ({@link #fromConfig}) and closes it
 * with the engine.
 *
 * <p><b>Several instances.</b> Every engine on the same database shares everything: the database
 * decides races. One active anomaly per tenant, type and subject is a partial unique index (the
 * loser folds its finding into the winner); every update compares a version column (of two
 * status changes at once, one succeeds and the other is a 409 naming the status it found); an
 * Idempotency-Key claim is a row with a lease. Expiry (retention, Idempotency-Key TTL,
 * suppressions) runs on one instance at a time, under a lease in {@code batanomaly_lease}.
 *
 * <p>Thread-safe. Each operation borrows a connection and returns it at once.
 */
public final class JdbcStore implements AnomalyStore {

  private final DataSource dataSource;
  private final AutoCloseable owned;
  private final Dialect dialect;
  private final String description;
  private final JdbcAnomalyRepository repository;
  private final JdbcIdempotencyStore idempotency;
  private final JdbcSuppressionStore suppressions;

  private JdbcStore(Builder b, AutoCloseable owned) {
    this.dataSource = b.dataSource;
    this.owned = owned;
    try (Connection c = dataSource.getConnection()) {
      this.dialect = Dialect.of(c);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot connect to the anomaly store "
          + (b.description != null ? b.description : "") + ": " + e.getMessage(), e);
    }
    List<Migrations.Script> scripts = Migrations.scripts(b.classLoader);
    if (b.schema == SchemaMode.MIGRATE) {
      Migrations.migrate(dataSource, scripts);
    } else if (b.schema == SchemaMode.VALIDATE) {
      Migrations.validate(dataSource, scripts);
    }
    Sql sql = new Sql(dataSource, dialect);
    LeaseLock lease = new LeaseLock(sql, b.instanceId, b.expiryLease.toMillis());
    this.repository = new JdbcAnomalyRepository(sql, lease, b.retention);
    this.idempotency = new JdbcIdempotencyStore(sql, lease);
    this.suppressions = new JdbcSuppressionStore(sql, lease);
    this.description = b.description != null ? b.description
        : dialect.name().toLowerCase(java.util.Locale.ROOT) + " (host data source)";
  }

  /**
   * Starts building a store over a host's data source. The host keeps owning it: closing the
   * store leaves it open.
   *
   * @param dataSource the database, PostgreSQL or SQLite
   * @return the builder
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(Objects.requireNonNull(dataSource, "dataSource"));
  }

  /**
   * Builds a store from the {@code ANOMALY_JDBC_*} settings: a HikariCP pool of
   * {@code ANOMALY_JDBC_POOL_SIZE} connections (a connection per call if HikariCP is not on the
   * class path) for {@code ANOMALY_JDBC_URL}, the schema handled as {@code ANOMALY_JDBC_SCHEMA}
   * says, and closed anomalies kept for {@code ANOMALY_RETENTION}. The store owns the pool and
   * closes it with itself.
   *
   * @param config the configuration
   * @return the store
   * @throws IllegalArgumentException if {@code ANOMALY_JDBC_URL} is not set or a setting is
   *     invalid
   * @throws IllegalStateException if the database cannot be reached or its schema migrated or
   *     validated
   */
  public static JdbcStore fromConfig(AnomalyConfig config) {
    List<String> errors = config.validate(JdbcSettings.all());
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(
          "Invalid batanomaly configuration:\n  - " + String.join("\n  - ", errors));
    }
    String url = config.get(JdbcSettings.URL).trim();
    if (url.isEmpty()) {
      throw new IllegalArgumentException("ANOMALY_JDBC_URL must be set to build a JdbcStore");
    }
    Pools.Opened opened;
    try {
      opened = Pools.open(url, config.get(JdbcSettings.USER), config.get(JdbcSettings.PASSWORD),
          config.get(JdbcSettings.POOL_SIZE));
    } catch (RuntimeException e) {
      throw new IllegalStateException("Cannot open the anomaly store at " + redact(url) + ": "
          + e.getMessage(), e);
    }
    Builder b = new Builder(opened.dataSource())
        .schema(SchemaMode.parse(config.get(JdbcSettings.SCHEMA)))
        .retention(config.get(AnomalySettings.RETENTION))
        .description(redact(url));
    try {
      return new JdbcStore(b, opened.closer());
    } catch (RuntimeException e) {
      try {
        opened.closer().close();
      } catch (Exception closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  /** Cuts the query part of a URL, where a driver may take a password. */
  static String redact(String url) {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q);
  }

  @Override
  public AnomalyRepository repository() {
    return repository;
  }

  @Override
  public IdempotencyStore idempotency() {
    return idempotency;
  }

  @Override
  public SuppressionStore suppressions() {
    return suppressions;
  }

  /**
   * Returns the data source, so that a module keeping tables of its own in the same database
   * (through its own {@code V<n>__} scripts under {@code db/batanomaly}) uses the same pool.
   *
   * @return the data source
   */
  public DataSource dataSource() {
    return dataSource;
  }

  /**
   * Tells whether the database is PostgreSQL ({@code "postgresql"}) or SQLite
   * ({@code "sqlite"}).
   *
   * @return the database kind
   */
  public String databaseKind() {
    return dialect.name().toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public String describe() {
    return description;
  }

  /** Closes the pool the store opened ({@link #fromConfig}); a host's data source stays open. */
  @Override
  public void close() {
    if (owned != null) {
      try {
        owned.close();
      } catch (Exception e) {
        throw new IllegalStateException("Closing the anomaly store's pool failed", e);
      }
    }
  }

  /** Builds a {@link JdbcStore}. Not thread-safe. */
  public static final class Builder {
    private final DataSource dataSource;
    private SchemaMode schema = SchemaMode.MIGRATE;
    private Duration retention = AnomalySettings.RETENTION.defaultValue();
    private Duration expiryLease = Duration.ofMinutes(5);
    private String instanceId = UUID.randomUUID().toString();
    private String description;
    private ClassLoader classLoader = JdbcStore.class.getClassLoader();

    private Builder(DataSource dataSource) {
      this.dataSource = dataSource;
    }

    /**
     * Sets what is done with the schema when the store is built (default:
     * {@link SchemaMode#MIGRATE}).
     *
     * @param mode the mode
     * @return this builder
     */
    public Builder schema(SchemaMode mode) {
      this.schema = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Sets how long a closed anomaly is kept after its last activity (default:
     * {@code ANOMALY_RETENTION}'s default, 30 days).
     *
     * @param retention the retention, not negative
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder retention(Duration retention) {
      if (retention.isNegative()) {
        throw new IllegalArgumentException("retention must not be negative, but was "
            + retention);
      }
      this.retention = retention;
      return this;
    }

    /**
     * Sets how long the instance that runs expiry keeps that job before another may take it
     * over (default: five minutes). It renews the lease on each tick, so it must be longer than
     * {@code ANOMALY_TICK_INTERVAL}.
     *
     * @param lease the lease, positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder expiryLease(Duration lease) {
      if (lease.isZero() || lease.isNegative()) {
        throw new IllegalArgumentException("expiryLease must be positive, but was " + lease);
      }
      this.expiryLease = lease;
      return this;
    }

    /**
     * Names this instance in the expiry lease (default: a random UUID).
     *
     * @param id the name, at most 128 characters
     * @return this builder
     * @throws IllegalArgumentException if blank or longer
     */
    public Builder instanceId(String id) {
      if (id == null || id.isBlank() || id.length() > 128) {
        throw new IllegalArgumentException(
            "instanceId must be 1 to 128 characters, but was '" + id + "'");
      }
      this.instanceId = id;
      return this;
    }

    /**
     * Sets how the store describes itself in logs (default: the database kind).
     *
     * @param description the description, with no password in it
     * @return this builder
     */
    public Builder description(String description) {
      this.description = Objects.requireNonNull(description, "description");
      return this;
    }

    /**
     * Sets the class loader whose path is searched for migration scripts (default: this
     * module's).
     *
     * @param loader the class loader
     * @return this builder
     */
    public Builder classLoader(ClassLoader loader) {
      this.classLoader = Objects.requireNonNull(loader, "loader");
      return this;
    }

    /**
     * Builds the store, migrating or validating the schema as {@link #schema} says.
     *
     * @return the store
     * @throws IllegalStateException if the database cannot be reached, is neither PostgreSQL
     *     nor SQLite, or its schema cannot be migrated or is not valid
     */
    public JdbcStore build() {
      return new JdbcStore(this, null);
    }
  }
}
