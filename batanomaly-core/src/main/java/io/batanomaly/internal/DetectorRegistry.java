package io.batanomaly.internal;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.spi.Attachment;
import io.batanomaly.spi.Detector;
import io.batanomaly.spi.DetectorContext;
import io.batanomaly.spi.DetectorProvider;
import io.batanomaly.spi.ServiceScope;
import io.batanomaly.spi.TenantScope;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The detector providers of one engine: those registered explicitly plus those
 * {@link ServiceLoader} finds, checked for duplicate names.
 */
public final class DetectorRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(DetectorRegistry.class);

  private final List<DetectorProvider> providers;

  private DetectorRegistry(List<DetectorProvider> providers) {
    this.providers = providers;
  }

  /**
   * Collects the providers.
   *
   * @param explicit providers registered on the builder
   * @param discover whether to add those ServiceLoader finds
   * @param classLoader where to look, or {@code null} for the context class loader
   * @return the registry
   * @throws IllegalStateException if two different provider classes share a name
   */
  public static DetectorRegistry resolve(
      List<DetectorProvider> explicit, boolean discover, ClassLoader classLoader) {
    Map<String, DetectorProvider> byName = new LinkedHashMap<>();
    List<DetectorProvider> all = new ArrayList<>(explicit);
    if (discover) {
      ClassLoader cl = classLoader != null ? classLoader
          : Thread.currentThread().getContextClassLoader();
      ServiceLoader.load(DetectorProvider.class, cl).forEach(all::add);
    }
    for (DetectorProvider p : all) {
      String name = p.name();
      if (name == null || name.isBlank()) {
        throw new IllegalStateException(
            "Detector provider " + p.getClass().getName() + " has a blank name");
      }
      DetectorProvider other = byName.putIfAbsent(name, p);
      if (other != null && other.getClass() != p.getClass()) {
        throw new IllegalStateException("Two detector providers are named '" + name + "': "
            + other.getClass().getName() + " and " + p.getClass().getName());
      }
    }
    return new DetectorRegistry(new ArrayList<>(byName.values()));
  }

  /** @return the providers, explicit ones first */
  public List<DetectorProvider> providers() {
    return providers;
  }

  /**
   * Creates the detectors of the enabled providers.
   *
   * @return detector name to detector, in registration order
   */
  public Map<String, Detector> create(
      AnomalyConfig config, InstantSource clock, long latenessMillis, ScopeRegistry scopes) {
    DetectorContext context = new DetectorContext() {
      @Override
      public AnomalyConfig config() {
        return config;
      }

      @Override
      public InstantSource clock() {
        return clock;
      }

      @Override
      public Duration allowedLateness() {
        return Duration.ofMillis(latenessMillis);
      }

      @Override
      public <T> Attachment<T> serviceAttachment(Function<ServiceScope, T> factory) {
        return scopes.serviceAttachment(factory);
      }

      @Override
      public <T> Attachment<T> tenantAttachment(Function<TenantScope, T> factory) {
        return scopes.tenantAttachment(factory);
      }

      @Override
      public void forEachTenant(Consumer<TenantScope> visitor) {
        scopes.forEachTenant(visitor);
      }
    };
    Map<String, Detector> detectors = new LinkedHashMap<>();
    for (DetectorProvider p : providers) {
      Detector d = p.create(context);
      if (d == null || d.types() == null || d.types().isEmpty()) {
        throw new IllegalStateException("Detector provider " + p.getClass().getName()
            + " created no detector or one without types");
      }
      if (!config.isDetectorEnabled(p.name(), d.types())) {
        LOG.info("Detector {} is disabled by ANOMALY_DISABLED_DETECTORS", p.name());
        continue;
      }
      detectors.put(p.name(), d);
    }
    return detectors;
  }
}
