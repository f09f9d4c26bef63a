package io.batanomaly.internal;

import io.batanomaly.spi.SuppressionStore;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The default {@link SuppressionStore}: one entry per key in a concurrent map. It holds at most
 * one entry per key that closed within the longest suppression, and {@link #expire} removes the
 * rest on ticks. Thread-safe without locks.
 */
public final class InMemorySuppressionStore implements SuppressionStore {

  private record Key(String tenant, String type, String subject) {}

  private final ConcurrentHashMap<Key, Suppression> suppressions = new ConcurrentHashMap<>();

  @Override
  public void save(Suppression s) {
    suppressions.put(new Key(s.tenant(), s.type(), s.subject()), s);
  }

  @Override
  public Optional<Suppression> find(String tenant, String type, String subject) {
    return Optional.ofNullable(suppressions.get(new Key(tenant, type, subject)));
  }

  @Override
  public void remove(String tenant, String type, String subject) {
    suppressions.remove(new Key(tenant, type, subject));
  }

  @Override
  public void expire(Instant now) {
    suppressions.values().removeIf(s -> !s.until().isAfter(now));
  }

  @Override
  public int size() {
    return suppressions.size();
  }
}
