package io.batanomaly.spi;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.Setting;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

/**
 * Creates an {@link AnomalyStore} from the configuration, so that a store module on the class
 * path is used with no code: {@code AnomalyEngine.builder().build()} asks every provider
 * {@link java.util.ServiceLoader} finds (listed in
 * {@code META-INF/services/io.batanomaly.spi.AnomalyStoreProvider}) and uses the store of the
 * one whose settings are given, such as {@code ANOMALY_JDBC_URL}. A provider whose settings are
 * not given answers empty and the in-memory store stays the default; two providers that both
 * answer make the build fail with a message naming both.
 *
 * <p>A store the host sets on the builder always wins; providers are then not asked.
 * Implementations need a public no-argument constructor.
 */
public interface AnomalyStoreProvider {

  /**
   * Returns the provider's unique name, such as {@code jdbc}.
   *
   * @return the name
   */
  String name();

  /**
   * Returns the settings the provider reads, so the engine validates them when it is built and
   * the settings table can list them.
   *
   * @return the settings, possibly empty
   */
  default List<Setting<?>> settings() {
    return List.of();
  }

  /**
   * Creates the store if the configuration asks for it.
   *
   * @param config the engine configuration
   * @param clock the engine clock
   * @return the store, or empty if the provider's settings are not given
   * @throws IllegalArgumentException if a setting is given but unusable
   * @throws IllegalStateException if the store cannot be opened (such as a database that refuses
   *     the connection while its schema is migrated); the message says why
   */
  Optional<AnomalyStore> create(AnomalyConfig config, InstantSource clock);
}
