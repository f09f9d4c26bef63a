package io.batanomaly.internal;

import io.batanomaly.spi.Attachment;
import io.batanomaly.spi.ServiceScope;
import io.batanomaly.spi.TenantScope;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Tenants and their services, bounded by {@code ANOMALY_MAX_TENANTS} and
 * {@code ANOMALY_MAX_SERVICES_PER_TENANT}.
 *
 * <p>Lookups of known tenants and services take no lock and allocate nothing. When a budget is
 * full, entries idle (by processing time) for longer than {@link #IDLE_EVICTION_MILLIS} are
 * evicted to make room; if none is idle, the new tenant or service is refused and the caller
 * rejects its event. Evictions are counted.
 *
 * <p>Resolving a tenant or service touches it ("last seen" only moves forward, by CAS) and then
 * checks it is still mapped; an eviction re-checks each entry after removing it and puts back
 * one touched in the meantime. So an ingest thread never records into a scope an eviction has
 * just dropped.
 */
public final class ScopeRegistry {

  /** How long a tenant or service must have been silent before it may be evicted: 24 hours. */
  public static final long IDLE_EVICTION_MILLIS = 24L * 3600 * 1000;

  private final ConcurrentHashMap<String, TenantState> tenants = new ConcurrentHashMap<>();
  private final AtomicInteger tenantCount = new AtomicInteger();
  private final int maxTenants;
  private final int maxServicesPerTenant;
  private final List<AttachmentKey<ServiceScope, ?>> serviceKeys = new ArrayList<>();
  private final List<AttachmentKey<TenantScope, ?>> tenantKeys = new ArrayList<>();
  private final LongAdder tenantsEvicted = new LongAdder();
  private final LongAdder servicesEvicted = new LongAdder();
  private volatile boolean sealed;

  /**
   * Creates a registry.
   *
   * @param maxTenants tenant budget
   * @param maxServicesPerTenant service budget per tenant
   */
  public ScopeRegistry(int maxTenants, int maxServicesPerTenant) {
    this.maxTenants = maxTenants;
    this.maxServicesPerTenant = maxServicesPerTenant;
  }

  /** Declares a per-service attachment; only before {@link #seal()}. */
  public synchronized <T> Attachment<T> serviceAttachment(Function<ServiceScope, T> factory) {
    checkOpen();
    AttachmentKey<ServiceScope, T> key = new AttachmentKey<>(serviceKeys.size(), factory);
    serviceKeys.add(key);
    return key;
  }

  /** Declares a per-tenant attachment; only before {@link #seal()}. */
  public synchronized <T> Attachment<T> tenantAttachment(Function<TenantScope, T> factory) {
    checkOpen();
    AttachmentKey<TenantScope, T> key = new AttachmentKey<>(tenantKeys.size(), factory);
    tenantKeys.add(key);
    return key;
  }

  private void checkOpen() {
    if (sealed) {
      throw new IllegalStateException(
          "attachments can only be declared while the detector is being created");
    }
  }

  /** Closes attachment declaration; called once the engine is built. */
  public void seal() {
    sealed = true;
  }

  /**
   * Returns the tenant's state, creating it if the budget allows, and records that it was heard
   * at {@code now}. The state returned was still tracked after it was touched: an eviction
   * that removed it before the touch is seen and the tenant looked up again, and one that
   * removes it after the touch sees it as no longer idle and puts it back.
   *
   * @return the tenant, or {@code null} if the tenant budget is full of active tenants
   */
  TenantState tenant(String tenant, long now) {
    for (;;) {
      TenantState state = tenants.get(tenant);
      if (state == null) {
        // Reserve a place in the budget before creating, so threads creating tenants at the
        // same moment cannot all pass the check and exceed it.
        if (!reserve(tenantCount, maxTenants, () -> evictIdleTenants(now))) {
          return null;
        }
        TenantState created = new TenantState(tenant, tenantKeys.size(), now);
        state = tenants.putIfAbsent(tenant, created);
        if (state != null) {
          tenantCount.decrementAndGet();
        } else {
          state = created;
        }
      }
      state.touch(now);
      if (tenants.get(tenant) == state) {
        return state;
      }
    }
  }

  /**
   * Returns the service's state, creating it if the tenant's budget allows, and records that
   * it was heard at {@code now}; as for {@link #tenant}, the state returned was still tracked
   * after the touch.
   *
   * @return the service, or {@code null} if the tenant's service budget is full of active ones
   */
  ServiceState service(TenantState tenant, String service, long now) {
    for (;;) {
      ServiceState state = tenant.services.get(service);
      if (state == null) {
        if (!reserve(tenant.serviceCount, maxServicesPerTenant,
            () -> evictIdleServices(tenant, now))) {
          return null;
        }
        ServiceState created = new ServiceState(tenant, service, serviceKeys.size(), now);
        state = tenant.services.putIfAbsent(service, created);
        if (state != null) {
          tenant.serviceCount.decrementAndGet();
        } else {
          state = created;
        }
      }
      state.touch(now);
      if (tenant.services.get(service) == state) {
        return state;
      }
    }
  }

  /**
   * Takes one place of a budget by CAS, evicting idle entries when it is full.
   *
   * @return whether a place was taken
   */
  private static boolean reserve(AtomicInteger count, int budget, BooleanSupplier evictIdle) {
    for (;;) {
      int n = count.get();
      if (n >= budget) {
        if (!evictIdle.getAsBoolean()) {
          return false;
        }
        continue;
      }
      if (count.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  private synchronized boolean evictIdleTenants(long now) {
    boolean freed = false;
    for (Iterator<TenantState> it = tenants.values().iterator(); it.hasNext(); ) {
      TenantState t = it.next();
      if (now - t.lastSeen > IDLE_EVICTION_MILLIS && tenants.remove(t.tenant, t)) {
        if (now - t.lastSeen <= IDLE_EVICTION_MILLIS && tenants.putIfAbsent(t.tenant, t) == null) {
          // heard between the check and the removal: keep it
          continue;
        }
        tenantCount.decrementAndGet();
        tenantsEvicted.increment();
        freed = true;
      }
    }
    return freed;
  }

  private boolean evictIdleServices(TenantState tenant, long now) {
    synchronized (tenant) {
      boolean freed = false;
      for (ServiceState s : tenant.services.values()) {
        if (now - s.lastSeen > IDLE_EVICTION_MILLIS && tenant.services.remove(s.service, s)) {
          if (now - s.lastSeen <= IDLE_EVICTION_MILLIS
              && tenant.services.putIfAbsent(s.service, s) == null) {
            // heard between the check and the removal: keep it
            continue;
          }
          tenant.serviceCount.decrementAndGet();
          servicesEvicted.increment();
          freed = true;
        }
      }
      return freed;
    }
  }

  /**
   * Returns a tenant's scope for calls from the host (such as declaring a policy version),
   * creating it if the tenant budget allows. The tenant counts as seen now.
   *
   * @param tenant the tenant id
   * @param now the engine clock
   * @return the scope, or {@code null} if the tenant budget is full of active tenants
   */
  public TenantScope tenantScope(String tenant, long now) {
    return tenant(tenant, now);
  }

  /** Visits every tracked tenant. */
  public void forEachTenant(Consumer<TenantScope> visitor) {
    tenants.values().forEach(visitor);
  }

  /** @return tenants tracked */
  public int tenantCount() {
    return tenantCount.get();
  }

  /** @return services tracked, over all tenants */
  public long serviceCount() {
    long n = 0;
    for (TenantState t : tenants.values()) {
      n += t.serviceCount.get();
    }
    return n;
  }

  /** @return idle tenants evicted to make room */
  public long tenantsEvicted() {
    return tenantsEvicted.sum();
  }

  /** @return idle services evicted to make room */
  public long servicesEvicted() {
    return servicesEvicted.sum();
  }
}
