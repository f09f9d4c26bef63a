package io.batanomaly.internal;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyListener;
import io.batanomaly.spi.AnomalyStore;
import io.batanomaly.spi.NotifierContext;
import io.batanomaly.spi.NotifierProvider;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notifier providers of one engine: those registered explicitly plus those
 * {@link ServiceLoader} finds. A discovered provider of the same class as an explicit one is
 * skipped, so a host's own configured instance takes its place.
 */
public final class NotifierRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(NotifierRegistry.class);

  private final List<NotifierProvider> providers;

  private NotifierRegistry(List<NotifierProvider> providers) {
    this.providers = providers;
  }

  /**
   * Collects the providers.
   *
   * @param explicit providers registered on the builder
   * @param discover whether to add those ServiceLoader finds
   * @param classLoader where to look, or {@code null} for the context class loader
   * @return the registry
   * @throws IllegalStateException if a provider has a blank name or two different provider
   *     classes share a name
   */
  public static NotifierRegistry resolve(List<NotifierProvider> explicit, boolean discover,
      ClassLoader classLoader) {
    List<NotifierProvider> all = new ArrayList<>(explicit);
    if (discover) {
      ClassLoader cl = classLoader != null ? classLoader
          : Thread.currentThread().getContextClassLoader();
      ServiceLoader.load(NotifierProvider.class, cl).forEach(all::add);
    }
    Map<String, NotifierProvider> byName = new LinkedHashMap<>();
    for (NotifierProvider p : all) {
      String name = p.name();
      if (name == null || name.isBlank()) {
        throw new IllegalStateException(
            "Notifier provider " + p.getClass().getName() + " has a blank name");
      }
      NotifierProvider other = byName.putIfAbsent(name, p);
      if (other != null && other.getClass() != p.getClass()) {
        throw new IllegalStateException("Two notifier providers are named '" + name + "': "
            + other.getClass().getName() + " and " + p.getClass().getName());
      }
    }
    return new NotifierRegistry(List.copyOf(byName.values()));
  }

  /**
   * Validates every provider's settings, then the rules that span several of them.
   *
   * @param config the configuration
   * @return one message per problem, empty when the configuration is valid
   */
  public List<String> validate(AnomalyConfig config) {
    List<String> errors = new ArrayList<>();
    for (NotifierProvider p : providers) {
      List<String> own = config.validate(p.settings());
      errors.addAll(own.isEmpty() ? p.check(config) : own);
    }
    return errors;
  }

  /**
   * Creates every provider's notifiers.
   *
   * @param config the configuration, validated
   * @param clock the engine clock
   * @param store the engine's anomaly store, or {@code null} for the in-memory default
   * @return the notifiers, in provider order
   */
  public List<AnomalyListener> create(AnomalyConfig config, InstantSource clock,
      AnomalyStore store) {
    NotifierContext context = new NotifierContext() {
      @Override
      public Optional<AnomalyStore> store() {
        return Optional.ofNullable(store);
      }

      @Override
      public AnomalyConfig config() {
        return config;
      }

      @Override
      public InstantSource clock() {
        return clock;
      }
    };
    List<AnomalyListener> created = new ArrayList<>();
    for (NotifierProvider p : providers) {
      List<AnomalyListener> made = p.create(context);
      if (!made.isEmpty()) {
        LOG.info("notifier provider {} created {} notifier(s)", p.name(), made.size());
      }
      created.addAll(made);
    }
    return List.copyOf(created);
  }

  /**
   * Closes the notifiers that are {@link AutoCloseable}; a failure is logged and the others are
   * still closed.
   *
   * @param notifiers the notifiers {@link #create} returned
   */
  public static void close(List<AnomalyListener> notifiers) {
    for (AnomalyListener l : notifiers) {
      if (l instanceof AutoCloseable) {
        try {
          ((AutoCloseable) l).close();
        } catch (Exception e) {
          LOG.warn("closing notifier {} failed", l.getClass().getName(), e);
        }
      }
    }
  }
}
