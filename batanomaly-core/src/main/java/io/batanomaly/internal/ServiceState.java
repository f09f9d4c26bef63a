package io.batanomaly.internal;

import io.batanomaly.spi.Attachment;
import io.batanomaly.spi.ServiceScope;
import io.batanomaly.spi.TenantScope;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** One tracked service: detector slots and when it was last heard (processing time). */
final class ServiceState implements ServiceScope {
  private static final VarHandle LAST_SEEN;

  static {
    try {
      LAST_SEEN = MethodHandles.lookup()
          .findVarHandle(ServiceState.class, "lastSeen", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final TenantState tenant;
  final String service;
  private final Object[] slots;
  private final long firstSeen;
  volatile long lastSeen;

  ServiceState(TenantState tenant, String service, int slotCount, long now) {
    this.tenant = tenant;
    this.service = service;
    this.slots = new Object[slotCount];
    this.firstSeen = now;
    this.lastSeen = now;
  }

  @Override
  public TenantScope tenantScope() {
    return tenant;
  }

  @Override
  public String tenant() {
    return tenant.tenant;
  }

  @Override
  public String service() {
    return service;
  }

  @Override
  public <T> T get(Attachment<T> attachment) {
    return Slots.get(slots, attachment, this);
  }

  @Override
  public long lastSeenMillis() {
    return lastSeen;
  }

  @Override
  public long firstSeenMillis() {
    return firstSeen;
  }

  /** Records that the service was heard at {@code now}; "last seen" only moves forward. */
  void touch(long now) {
    // one write per service per batch, not per event; by CAS, so a thread holding an older
    // time never overwrites a newer one
    long current = lastSeen;
    while (current < now && !LAST_SEEN.compareAndSet(this, current, now)) {
      current = lastSeen;
    }
  }

  @Override
  public String toString() {
    return tenant.tenant + "/" + service;
  }
}
