package io.batanomaly.jdbc;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.Setting;
import io.batanomaly.spi.AnomalyStore;
import io.batanomaly.spi.AnomalyStoreProvider;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

/**
 * Makes {@code AnomalyEngine.builder().build()} use a {@link JdbcStore} when
 * {@code ANOMALY_JDBC_URL} is set; registered with {@link java.util.ServiceLoader}.
 */
public final class JdbcStoreProvider implements AnomalyStoreProvider {

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public JdbcStoreProvider() {}

  @Override
  public String name() {
    return "jdbc";
  }

  @Override
  public List<Setting<?>> settings() {
    return JdbcSettings.all();
  }

  @Override
  public Optional<AnomalyStore> create(AnomalyConfig config, InstantSource clock) {
    if (config.get(JdbcSettings.URL).isBlank()) {
      return Optional.empty();
    }
    return Optional.of(JdbcStore.fromConfig(config));
  }
}
