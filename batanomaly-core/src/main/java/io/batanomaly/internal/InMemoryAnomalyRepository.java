package io.batanomaly.internal;

import io.batanomaly.api.Anomaly;
import io.batanomaly.spi.ActiveAnomalyExistsException;
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
 * The default repository: anomalies in memory, per tenant, bounded two ways.
 *
 * <ul>
 *   <li><b>Retention</b>: on {@link #expire}, closed (RESOLVED or DISMISSED) anomalies whose last
 *       activity ({@link AnomalyRepository#lastActivity}) is older than the retention period are
 *       removed. Active anomalies are never removed by age.
 *   <li><b>Per-tenant bound</b>: when a tenant holds {@code maxPerTenant} anomalies, inserting
 *       another first removes the closed one with the oldest last activity, or, if every one is
 *       active, the one detected first. A tenant never holds more than {@code maxPerTenant}.
 * </ul>
 *
 * <p>Both kinds of removal are counted ({@link #expired()}, {@link #evicted()}). Like a shared
 * database, it refuses a second active anomaly for one tenant, type and subject with
 * {@link ActiveAnomalyExistsException}, so several engines may share one instance.
 *
 * <p><b>Concurrency.</b> Each tenant's anomalies live in their own concurrent map; reads take no
 * lock, and {@link #replace} is the map's atomic compare-and-set. Inserting and expiring hold the
 * tenant's map monitor so the bound is checked and enforced in one step.
 */
public final class InMemoryAnomalyRepository implements AnomalyRepository {

  private static final Comparator<Anomaly> EVICTION_ORDER =
      Comparator.comparing((Anomaly a) -> a.status().isActive())
          .thenComparing(a -> a.status().isActive() ? a.detectedAt()
              : AnomalyRepository.lastActivity(a))
          .thenComparing(Anomaly::id);

  private final int maxPerTenant;
  private final Duration retention;
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, Anomaly>> tenants =
      new ConcurrentHashMap<>();
  private final LongAdder evicted = new LongAdder();
  private final LongAdder expired = new LongAdder();

  /**
   * Creates a repository.
   *
   * @param maxPerTenant anomalies kept per tenant, 1 or more
   * @param retention how long a closed anomaly is kept after its last activity, not negative
   * @throws IllegalArgumentException if {@code maxPerTenant} is below 1 or {@code retention} is
   *     negative
   */
  public InMemoryAnomalyRepository(int maxPerTenant, Duration retention) {
    if (maxPerTenant < 1) {
      throw new IllegalArgumentException(
          "maxPerTenant must be 1 or more, but was " + maxPerTenant);
    }
    if (retention.isNegative()) {
      throw new IllegalArgumentException("retention must not be negative, but was " + retention);
    }
    this.maxPerTenant = maxPerTenant;
    this.retention = retention;
  }

  @Override
  public void insert(Anomaly anomaly) {
    Map<String, Anomaly> byId = tenants.computeIfAbsent(anomaly.tenant(),
        t -> new ConcurrentHashMap<>());
    synchronized (byId) {
      if (byId.containsKey(anomaly.id())) {
        throw new IllegalArgumentException("anomaly id '" + anomaly.id() + "' already stored");
      }
      if (anomaly.status().isActive()) {
        requireNoOtherActive(byId, anomaly);
      }
      while (byId.size() >= maxPerTenant) {
        Anomaly victim = byId.values().stream().min(EVICTION_ORDER).orElseThrow();
        if (byId.remove(victim.id(), victim)) {
          evicted.increment();
        }
      }
      byId.put(anomaly.id(), anomaly);
    }
  }

  @Override
  public boolean replace(Anomaly expected, Anomaly updated) {
    if (!expected.id().equals(updated.id()) || !expected.tenant().equals(updated.tenant())) {
      throw new IllegalArgumentException("replace must keep the id and tenant, but '"
          + expected.tenant() + "/" + expected.id() + "' would become '" + updated.tenant() + "/"
          + updated.id() + "'");
    }
    Map<String, Anomaly> byId = tenants.get(expected.tenant());
    if (byId == null) {
      return false;
    }
    if (updated.status().isActive() && !expected.status().isActive()) {
      // reopening: the check and the swap happen under the monitor inserts hold
      synchronized (byId) {
        requireNoOtherActive(byId, updated);
        return byId.replace(expected.id(), expected, updated);
      }
    }
    return byId.replace(expected.id(), expected, updated);
  }

  /** Keeps one active anomaly per type and subject, as a database's unique index would. */
  private static void requireNoOtherActive(Map<String, Anomaly> byId, Anomaly a) {
    for (Anomaly other : byId.values()) {
      if (other.status().isActive() && !other.id().equals(a.id()) && other.type().equals(a.type())
          && other.subject().equals(a.subject())) {
        throw new ActiveAnomalyExistsException(a.tenant(), a.type(), a.subject(), null);
      }
    }
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
    Map<String, Anomaly> byId = tenant == null ? null : tenants.get(tenant);
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
  public Optional<Anomaly> findActive(String tenant, String type, String subject) {
    Map<String, Anomaly> byId = tenants.get(tenant);
    if (byId == null) {
      return Optional.empty();
    }
    for (Anomaly a : byId.values()) {
      if (a.status().isActive() && a.type().equals(type) && a.subject().equals(subject)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  @Override
  public void expire(Instant now) {
    Instant cutoff = now.minus(retention);
    for (Map<String, Anomaly> byId : tenants.values()) {
      synchronized (byId) {
        byId.values().removeIf(a -> {
          boolean old = !a.status().isActive()
              && AnomalyRepository.lastActivity(a).isBefore(cutoff);
          if (old) {
            expired.increment();
          }
          return old;
        });
      }
    }
  }

  /**
   * Returns how many anomalies a tenant holds now.
   *
   * @param tenant the tenant
   * @return the count, 0 for an unknown tenant
   */
  public int size(String tenant) {
    Map<String, Anomaly> byId = tenants.get(tenant);
    return byId == null ? 0 : byId.size();
  }

  /** @return anomalies removed to keep a tenant within its bound */
  public long evicted() {
    return evicted.sum();
  }

  /** @return closed anomalies removed because they were past retention */
  public long expired() {
    return expired.sum();
  }

  /** @return anomalies removed by retention or the per-tenant bound */
  public long removed() {
    return evicted.sum() + expired.sum();
  }
}
