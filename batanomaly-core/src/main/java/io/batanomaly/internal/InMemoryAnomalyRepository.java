package io.batanomaly.internal;

import io.batanomaly.api.Anomaly;
import io.batanomaly.spi.AnomalyRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The default repository: anomalies in memory, per tenant, bounded two ways. Anomalies detected
 * longer ago than the retention period are removed on {@link #expire}; when a tenant holds
 * {@code maxPerTenant} anomalies, inserting another removes the oldest closed one (or, if all are
 * active, the oldest). Removals are counted.
 */
public final class InMemoryAnomalyRepository implements AnomalyRepository {

  private final int maxPerTenant;
  private final Duration retention;
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, Anomaly>> tenants =
      new ConcurrentHashMap<>();
  private final LongAdder removed = new LongAdder();

  /**
   * Creates a repository.
   *
   * @param maxPerTenant anomalies kept per tenant
   * @param retention how long an anomaly is kept after detection
   */
  public InMemoryAnomalyRepository(int maxPerTenant, Duration retention) {
    this.maxPerTenant = maxPerTenant;
    this.retention = retention;
  }

  @Override
  public void insert(Anomaly anomaly) {
    Map<String, Anomaly> byId = tenants.computeIfAbsent(anomaly.tenant(),
        t -> new ConcurrentHashMap<>());
    synchronized (byId) {
      while (byId.size() >= maxPerTenant) {
        Anomaly victim = byId.values().stream()
            .min(Comparator.comparing((Anomaly a) -> a.status().isActive())
                .thenComparing(Anomaly::detectedAt))
            .orElseThrow();
        byId.remove(victim.id());
        removed.increment();
      }
      if (byId.putIfAbsent(anomaly.id(), anomaly) != null) {
        throw new IllegalArgumentException("anomaly id '" + anomaly.id() + "' already stored");
      }
    }
  }

  @Override
  public boolean replace(Anomaly expected, Anomaly updated) {
    Map<String, Anomaly> byId = tenants.get(expected.tenant());
    return byId != null && byId.replace(expected.id(), expected, updated);
  }

  @Override
  public Optional<Anomaly> find(String tenant, String id) {
    if (tenant == null || id == null) {
      return Optional.empty();
    }
    Map<String, Anomaly> byId = tenants.get(tenant);
    return byId == null ? Optional.empty() : Optional.ofNullable(byId.get(id));
  }

  @Override
  public List<Anomaly> list(String tenant, String type, Instant detectedSince) {
    Map<String, Anomaly> byId = tenants.get(tenant);
    if (byId == null) {
      return List.of();
    }
    List<Anomaly> matches = new ArrayList<>();
    for (Anomaly a : byId.values()) {
      if ((type == null || type.equals(a.type())) && !a.detectedAt().isBefore(detectedSince)) {
        matches.add(a);
      }
    }
    matches.sort(Comparator.comparing(Anomaly::detectedAt).reversed()
        .thenComparing(Anomaly::id));
    return matches;
  }

  @Override
  public void expire(Instant now) {
    Instant cutoff = now.minus(retention);
    for (Map<String, Anomaly> byId : tenants.values()) {
      synchronized (byId) {
        byId.values().removeIf(a -> {
          boolean old = a.detectedAt().isBefore(cutoff) && !a.status().isActive();
          if (old) {
            removed.increment();
          }
          return old;
        });
      }
    }
  }

  /** @return anomalies removed by retention or the per-tenant bound */
  public long removed() {
    return removed.sum();
  }
}
