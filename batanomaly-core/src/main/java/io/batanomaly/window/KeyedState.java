package io.batanomaly.window;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Per-key state (one entry per identifier, service or policy version) under a fixed budget of
 * keys, for state that must stay bounded whatever the input.
 *
 * <h2>Eviction policy</h2>
 *
 * <p>An {@link Policy} tells, for each entry, whether it has <em>expired</em> (nothing left
 * inside its window), when it was last touched, and whether it is <em>protected</em> (for
 * example: it has repeated within its window, or reached its rule's threshold). When a new key
 * arrives and the budget is full, one thread sweeps the map:
 *
 * <ol>
 *   <li>expired entries are removed;
 *   <li>if that freed less than a tenth of the budget, unprotected entries are removed, least
 *       recently touched first, until a tenth is free.
 * </ol>
 *
 * <p>Protected entries are never evicted. If every entry is protected, the new key is not
 * tracked: {@link #getOrCreate} returns {@code null} and the key is counted as shed. So a key
 * that has reached its threshold can never be pushed out by a crowd of one-time keys, and a key
 * inside its window is never lost while there is room. Evictions and sheds are counted.
 *
 * <p>Lookups of existing keys take no lock and allocate nothing. Creating a key allocates its
 * entry. Places in the budget are reserved by CAS, so the budget is exact while no sweep runs.
 * The sweep runs under a try-lock taken by one creating thread at a time; threads that find
 * another one sweeping do not wait and do not shed: they create into a headroom of a tenth of
 * the budget, which the sweep frees again. So the map holds at most {@code budget + budget / 10}
 * keys (at least {@code budget + 1}), and a key is shed only when a sweep found nothing it could
 * remove.
 *
 * <p>Memory: about 48 bytes of map node per key, plus the key and the entry; the map's table
 * grows with the number of keys, not with the budget.
 *
 * @param <K> the key type
 * @param <V> the entry type
 */
public final class KeyedState<K, V> {

  /**
   * How a {@link KeyedState} judges its entries during a sweep.
   *
   * @param <V> the entry type
   */
  public interface Policy<V> {
    /**
     * @param entry an entry
     * @param nowMillis the current (event) time
     * @return {@code true} if nothing of the entry is inside its window any more
     */
    boolean isExpired(V entry, long nowMillis);

    /**
     * @param entry an entry
     * @param nowMillis the current (event) time
     * @return {@code true} if the entry must not be evicted while it has not expired
     */
    boolean isProtected(V entry, long nowMillis);

    /**
     * @param entry an entry
     * @return when the entry was last touched, used to evict the least recent first
     */
    long lastTouched(V entry);
  }

  private final ConcurrentHashMap<K, V> map;
  private final int budget;
  private final Function<? super K, ? extends V> factory;
  private final Policy<? super V> policy;
  private final AtomicInteger size = new AtomicInteger();
  private final LongAdder evictions = new LongAdder();
  private final LongAdder expirations = new LongAdder();
  private final LongAdder shed = new LongAdder();
  private final ReentrantLock sweepLock = new ReentrantLock();

  /**
   * Creates an empty state.
   *
   * @param budget the largest number of keys kept, at least 1
   * @param factory creates the entry of a new key
   * @param policy judges entries during a sweep
   * @throws IllegalArgumentException if {@code budget} is below 1
   */
  public KeyedState(
      int budget, Function<? super K, ? extends V> factory, Policy<? super V> policy) {
    if (budget < 1) {
      throw new IllegalArgumentException("budget must be at least 1, but was " + budget);
    }
    this.budget = budget;
    this.factory = Objects.requireNonNull(factory, "factory");
    this.policy = Objects.requireNonNull(policy, "policy");
    // grows with use: presizing to the budget would cost every tenant up to a megabyte of
    // table on its first key, even tenants that only ever track a handful
    this.map = new ConcurrentHashMap<>();
  }

  /**
   * Returns the entry of a key, or {@code null} if the key is not tracked.
   *
   * @param key the key
   * @return the entry or {@code null}
   */
  public V get(K key) {
    return map.get(key);
  }

  /**
   * Returns the entry of a key, creating it if there is room (sweeping first if needed).
   *
   * @param key the key
   * @param nowMillis the current (event) time, for the sweep
   * @return the entry, or {@code null} if the budget is full of protected entries (counted as
   *     shed)
   */
  public V getOrCreate(K key, long nowMillis) {
    V existing = map.get(key);
    if (existing != null) {
      return existing;
    }
    if (!reserve(nowMillis)) {
      shed.increment();
      return null;
    }
    V created = factory.apply(key);
    V raced = map.putIfAbsent(key, created);
    if (raced != null) {
      size.decrementAndGet();
      return raced;
    }
    return created;
  }

  /**
   * Takes one place for a new key: within the budget, or, while another thread sweeps, within
   * the headroom above it. A thread that swept itself and still finds the budget full gives up.
   */
  private boolean reserve(long nowMillis) {
    int headroom = Math.max(1, budget / 10);
    boolean swept = false;
    for (;;) {
      int n = size.get();
      if (n >= budget) {
        if (swept) {
          return false;
        }
        if (trySweep(nowMillis)) {
          swept = true;
          continue;
        }
        // another thread is sweeping: use the headroom rather than shed a key it may make
        // room for
        if (n >= budget + headroom) {
          return false;
        }
      }
      if (size.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /**
   * Makes sure an entry the caller has just recorded into is still tracked. A caller that
   * records into an entry it looked up earlier races with a sweep on another thread: the sweep
   * may remove the entry between the look-up and the write, and the write would be lost with
   * it (for example the second failure that would have protected an identifier). Call this
   * after the write: if the entry is no longer mapped and its key is free, it is put back
   * (beyond the budget for a moment, as the headroom allows, until the next sweep). The sweep
   * itself re-checks each entry after removing it and puts back one that was written to in the
   * meantime, so together no write is lost. Takes no lock and allocates nothing when the entry
   * is still tracked, which is the common case.
   *
   * @param key the key
   * @param entry the entry the caller recorded into
   * @return the entry now tracked for the key: {@code entry}, or the one another thread created
   *     for the key after the sweep removed {@code entry}
   */
  public V keep(K key, V entry) {
    V current = map.get(key);
    if (current == entry) {
      return entry;
    }
    if (current != null) {
      return current;
    }
    V raced = map.putIfAbsent(key, entry);
    if (raced != null) {
      return raced;
    }
    size.incrementAndGet();
    return entry;
  }

  /**
   * Removes a key.
   *
   * @param key the key
   * @return the removed entry, or {@code null}
   */
  public V remove(K key) {
    V removed = map.remove(key);
    if (removed != null) {
      size.decrementAndGet();
    }
    return removed;
  }

  /**
   * Removes expired entries, and if that frees less than a tenth of the budget, the least
   * recently touched unprotected ones. Does nothing if another thread is sweeping.
   *
   * @param nowMillis the current (event) time
   */
  public void sweep(long nowMillis) {
    trySweep(nowMillis);
  }

  /** Sweeps unless another thread is sweeping; returns whether this thread swept. */
  private boolean trySweep(long nowMillis) {
    if (!sweepLock.tryLock()) {
      return false;
    }
    try {
      int target = budget - Math.max(1, budget / 10);
      long[] ages = new long[Math.min(size.get() + 16, 4096)];
      int sampled = 0;
      int seen = 0;
      for (Iterator<Map.Entry<K, V>> it = map.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<K, V> e = it.next();
        V v = e.getValue();
        if (policy.isExpired(v, nowMillis)) {
          if (map.remove(e.getKey(), v)) {
            if (!policy.isExpired(v, nowMillis) && map.putIfAbsent(e.getKey(), v) == null) {
              // recorded into between the check and the removal: it lives on
              continue;
            }
            size.decrementAndGet();
            expirations.increment();
          }
        } else if (!policy.isProtected(v, nowMillis)) {
          // reservoir sample of the unprotected entries' ages, to find the eviction cut-off
          long touched = policy.lastTouched(v);
          if (sampled < ages.length) {
            ages[sampled++] = touched;
          } else {
            int j = (int) ((seen * 0x9E3779B97F4A7C15L >>> 33) % (seen + 1));
            if (j < ages.length) {
              ages[j] = touched;
            }
          }
          seen++;
        }
      }
      int excess = size.get() - target;
      if (excess <= 0 || seen == 0) {
        return true;
      }
      Arrays.sort(ages, 0, sampled);
      double share = Math.min(1.0, (double) excess / seen);
      long cutoff = ages[Math.max(0, Math.min(sampled - 1, (int) Math.ceil(share * sampled) - 1))];
      for (Iterator<Map.Entry<K, V>> it = map.entrySet().iterator();
          it.hasNext() && size.get() > target; ) {
        Map.Entry<K, V> e = it.next();
        V v = e.getValue();
        if (!policy.isProtected(v, nowMillis) && policy.lastTouched(v) <= cutoff
            && map.remove(e.getKey(), v)) {
          if ((policy.isProtected(v, nowMillis) || policy.lastTouched(v) > cutoff)
              && map.putIfAbsent(e.getKey(), v) == null) {
            // recorded into between the check and the removal (say, the second failure that
            // protects it): put back rather than lose that record
            continue;
          }
          size.decrementAndGet();
          evictions.increment();
        }
      }
    } finally {
      sweepLock.unlock();
    }
    return true;
  }

  /**
   * Visits every tracked entry. Entries created or removed during the visit may or may not be
   * seen.
   *
   * @param visitor receives each key and entry
   */
  public void forEach(BiConsumer<? super K, ? super V> visitor) {
    map.forEach(visitor);
  }

  /** @return the number of tracked keys */
  public int size() {
    return size.get();
  }

  /** @return the largest number of keys kept */
  public int budget() {
    return budget;
  }

  /** @return unprotected entries removed to make room, since creation */
  public long evictions() {
    return evictions.sum();
  }

  /** @return expired entries removed, since creation */
  public long expirations() {
    return expirations.sum();
  }

  /** @return new keys not tracked because every entry was protected, since creation */
  public long shed() {
    return shed.sum();
  }
}
