package io.batanomaly.internal;

import io.batanomaly.spi.IdempotencyStore;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The default {@link IdempotencyStore}: keys in memory, at most {@code maxKeys} over all
 * tenants. When a new key would exceed that, the oldest completed keys are removed first (in the
 * order their requests arrived); removing one that had not yet expired is counted as a drop.
 * Keys of requests still running are never removed, so the bound can be exceeded by the number
 * of requests in flight.
 *
 * <p><b>Concurrency.</b> The map is guarded by this object's monitor, held only to look up,
 * insert, complete or remove an entry. Status updates are a person's actions, far from the
 * ingest hot path, so one monitor is enough.
 */
public final class InMemoryIdempotencyStore implements IdempotencyStore {

  private record Key(String tenant, String key) {}

  /** A key's claim and, once completed, its outcome. Guarded by the store's monitor. */
  private static final class Entry {
    final String fingerprint;
    String owner;
    long leaseUntil;
    boolean done;
    long expiresAt;
    Outcome outcome;

    Entry(String fingerprint, String owner, long leaseUntil) {
      this.fingerprint = fingerprint;
      this.owner = owner;
      this.leaseUntil = leaseUntil;
    }
  }

  private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>();
  private final int maxKeys;
  private final LongAdder dropped = new LongAdder();

  /**
   * Creates a store.
   *
   * @param maxKeys how many keys are kept at most
   * @throws IllegalArgumentException if {@code maxKeys} is below 1
   */
  public InMemoryIdempotencyStore(int maxKeys) {
    if (maxKeys < 1) {
      throw new IllegalArgumentException("maxKeys must be 1 or more, but was " + maxKeys);
    }
    this.maxKeys = maxKeys;
  }

  @Override
  public synchronized Claim claim(String tenant, String key, String fingerprint, String owner,
      Instant now, Instant leaseUntil) {
    long nowMillis = now.toEpochMilli();
    Key k = new Key(tenant, key);
    Entry existing = entries.get(k);
    if (existing != null && existing.done && existing.expiresAt <= nowMillis) {
      entries.remove(k);
      existing = null;
    }
    if (existing != null) {
      if (!existing.fingerprint.equals(fingerprint)) {
        return new Claim.Reused();
      }
      if (existing.done) {
        return new Claim.Replay(existing.outcome);
      }
      if (existing.leaseUntil > nowMillis) {
        return new Claim.InFlight();
      }
      existing.owner = owner; // the holder's lease ran out: take the key over
      existing.leaseUntil = leaseUntil.toEpochMilli();
      return new Claim.Acquired();
    }
    entries.put(k, new Entry(fingerprint, owner, leaseUntil.toEpochMilli()));
    if (entries.size() > maxKeys) {
      shrink(nowMillis);
    }
    return new Claim.Acquired();
  }

  @Override
  public synchronized void complete(String tenant, String key, String owner, Outcome outcome,
      Instant now, Instant expiresAt) {
    Entry e = entries.get(new Key(tenant, key));
    if (e != null && !e.done && e.owner.equals(owner)) {
      e.outcome = outcome;
      e.done = true;
      e.expiresAt = expiresAt.toEpochMilli();
    }
  }

  @Override
  public synchronized void release(String tenant, String key, String owner) {
    Key k = new Key(tenant, key);
    Entry e = entries.get(k);
    if (e != null && !e.done && e.owner.equals(owner)) {
      entries.remove(k);
    }
  }

  /** Removes the oldest completed entries until the bound holds. Called under the monitor. */
  private void shrink(long nowMillis) {
    Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator();
    while (entries.size() > maxKeys && it.hasNext()) {
      Entry e = it.next().getValue();
      if (e.done) {
        it.remove();
        if (e.expiresAt > nowMillis) {
          dropped.increment();
        }
      }
    }
  }

  @Override
  public synchronized void expire(Instant now) {
    long nowMillis = now.toEpochMilli();
    entries.values().removeIf(e -> e.done && e.expiresAt <= nowMillis);
  }

  @Override
  public synchronized int size() {
    return entries.size();
  }

  @Override
  public long dropped() {
    return dropped.sum();
  }
}
