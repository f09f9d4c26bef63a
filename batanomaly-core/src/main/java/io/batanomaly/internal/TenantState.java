package io.batanomaly.internal;

import io.batanomaly.spi.Attachment;
import io.batanomaly.spi.ServiceScope;
import io.batanomaly.spi.TenantScope;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One tracked tenant: its services, detector slots and event-time watermark. The watermark is
 * the largest accepted event time, capped at the engine clock by the caller of
 * {@link #advance}; it only moves forward, by CAS.
 */
final class TenantState implements TenantScope {
  private static final VarHandle MAX_EVENT_TIME;
  private static final VarHandle LAST_SEEN;

  static {
    try {
      MAX_EVENT_TIME = MethodHandles.lookup()
          .findVarHandle(TenantState.class, "maxEventTime", long.class);
      LAST_SEEN = MethodHandles.lookup()
          .findVarHandle(TenantState.class, "lastSeen", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final String tenant;
  final ConcurrentHashMap<String, ServiceState> services = new ConcurrentHashMap<>();
  final AtomicInteger serviceCount = new AtomicInteger();
  private final Object[] slots;
  private volatile long maxEventTime = Long.MIN_VALUE;
  volatile long lastSeen;

  TenantState(String tenant, int slotCount, long now) {
    this.tenant = tenant;
    this.slots = new Object[slotCount];
    this.lastSeen = now;
  }

  @Override
  public String tenant() {
    return tenant;
  }

  @Override
  public <T> T get(Attachment<T> attachment) {
    return Slots.get(slots, attachment, this);
  }

  @Override
  public long maxEventTime() {
    return maxEventTime;
  }

  @Override
  public void forEachService(Consumer<ServiceScope> visitor) {
    services.values().forEach(visitor);
  }

  /** Moves the watermark forward to {@code time} if it is later. */
  void advance(long time) {
    long current = maxEventTime;
    while (time > current) {
      if (MAX_EVENT_TIME.compareAndSet(this, current, time)) {
        return;
      }
      current = maxEventTime;
    }
  }

  /** Records that the tenant was heard at {@code now}; "last seen" only moves forward. */
  void touch(long now) {
    // a batch that alternates tenants reaches here once per run of each tenant: write only
    // when the time moves, by CAS, so a thread holding an older time never overwrites a newer
    long current = lastSeen;
    while (current < now && !LAST_SEEN.compareAndSet(this, current, now)) {
      current = lastSeen;
    }
  }

  @Override
  public String toString() {
    return tenant;
  }
}
