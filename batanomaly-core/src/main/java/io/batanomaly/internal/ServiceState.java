package io.batanomaly.internal;

import io.batanomaly.spi.Attachment;
import io.batanomaly.spi.ServiceScope;
import io.batanomaly.spi.TenantScope;

/** One tracked service: detector slots and when it was last heard (processing time). */
final class ServiceState implements ServiceScope {
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

  void touch(long now) {
    // one volatile write per service per batch, not per event
    if (lastSeen < now) {
      lastSeen = now;
    }
  }

  @Override
  public String toString() {
    return tenant.tenant + "/" + service;
  }
}
