package io.batanomaly.internal;

import io.batanomaly.api.Anomaly;
import io.batanomaly.api.IdempotencyKeyInFlightException;
import io.batanomaly.api.IdempotencyKeyReusedException;
import io.batanomaly.api.InvalidRequestException;
import io.batanomaly.api.TriageException;
import java.time.InstantSource;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Idempotency-Key handling for status updates, after the IETF httpapi Idempotency-Key draft.
 *
 * <p>Keys are scoped to the tenant. The first request with a key runs; its outcome (the updated
 * anomaly, or the client error it failed with) is stored for the time-to-live, counted by the
 * engine clock from the moment the outcome was stored. A retry with the same key and the same
 * request gets the stored outcome again without running; the same key with a different request
 * fails with {@link IdempotencyKeyReusedException} (422); a retry while the first is still
 * running fails with {@link IdempotencyKeyInFlightException} (409). A request that fails with an
 * unexpected (server) error stores nothing, so it can be retried.
 *
 * <p>The store holds at most {@code maxKeys} keys over all tenants. When a new key would exceed
 * that, the oldest completed keys are removed first (in the order their requests arrived);
 * removing one that had not yet expired is counted as a drop. Keys of requests still running
 * are never removed, so the bound can be exceeded by the number of requests in flight.
 *
 * <p><b>Concurrency.</b> The map is guarded by this object's monitor, held only to look up,
 * insert, complete or remove an entry; the request's work runs outside it. Status updates are
 * a person's actions, far from the ingest hot path, so one monitor is enough.
 */
public final class IdempotencyStore {

  /** Longest key accepted, in characters. */
  public static final int MAX_KEY_LENGTH = 255;

  private record Key(String tenant, String key) {}

  /** A key's request and, once it has run, its outcome. Guarded by the store's monitor. */
  private static final class Entry {
    final Object request;
    long storedAt;
    boolean done;
    Anomaly result;
    TriageException error;

    Entry(Object request, long startedAt) {
      this.request = request;
      this.storedAt = startedAt;
    }
  }

  private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>();
  private final InstantSource clock;
  private final long ttlMillis;
  private final int maxKeys;
  private final LongAdder dropped = new LongAdder();
  private final LongAdder replayed = new LongAdder();

  /**
   * Creates a store.
   *
   * @param clock the engine clock
   * @param ttlMillis how long an outcome is kept
   * @param maxKeys how many keys are kept at most
   * @throws IllegalArgumentException if {@code ttlMillis} is negative or {@code maxKeys} is
   *     below 1
   */
  public IdempotencyStore(InstantSource clock, long ttlMillis, int maxKeys) {
    if (ttlMillis < 0) {
      throw new IllegalArgumentException("ttlMillis must be 0 or more, but was " + ttlMillis);
    }
    if (maxKeys < 1) {
      throw new IllegalArgumentException("maxKeys must be 1 or more, but was " + maxKeys);
    }
    this.clock = clock;
    this.ttlMillis = ttlMillis;
    this.maxKeys = maxKeys;
  }

  /**
   * Checks that a key is acceptable: 1 to {@value #MAX_KEY_LENGTH} visible ASCII characters.
   *
   * @param key the key
   * @throws InvalidRequestException if it is not
   */
  public static void checkKey(String key) {
    if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
      throw new InvalidRequestException("Idempotency-Key must be 1 to " + MAX_KEY_LENGTH
          + " characters, but had " + key.length());
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw new InvalidRequestException(
            "Idempotency-Key must be visible ASCII characters, but had a character U+"
                + String.format("%04X", (int) c) + " at position " + i);
      }
    }
  }

  /**
   * Runs {@code action} once per tenant and key, or replays its stored outcome.
   *
   * @param tenant the tenant
   * @param key the Idempotency-Key
   * @param request what identifies the request (compared with {@code equals})
   * @param action the request's work
   * @return the action's result, or the stored result of the first request
   * @throws InvalidRequestException if the key is malformed
   * @throws IdempotencyKeyReusedException if the key was used for a different request
   * @throws IdempotencyKeyInFlightException if the first request with the key is still running
   * @throws TriageException the action's client error, or the stored one on replay
   */
  public Anomaly execute(String tenant, String key, Object request, Supplier<Anomaly> action) {
    checkKey(key);
    Key k = new Key(tenant, key);
    Entry mine;
    synchronized (this) {
      long now = clock.millis();
      Entry existing = entries.get(k);
      if (existing != null && existing.done && now - existing.storedAt >= ttlMillis) {
        entries.remove(k);
        existing = null;
      }
      if (existing != null) {
        if (!existing.request.equals(request)) {
          throw new IdempotencyKeyReusedException(key);
        }
        if (!existing.done) {
          throw new IdempotencyKeyInFlightException(key);
        }
        replayed.increment();
        if (existing.error != null) {
          throw existing.error;
        }
        return existing.result;
      }
      mine = new Entry(request, now);
      entries.put(k, mine);
      if (entries.size() > maxKeys) {
        shrink(now);
      }
    }
    Anomaly result;
    try {
      result = action.get();
    } catch (TriageException clientError) {
      complete(mine, null, clientError);
      throw clientError;
    } catch (RuntimeException | Error serverError) {
      synchronized (this) {
        entries.remove(k, mine);
      }
      throw serverError;
    }
    complete(mine, result, null);
    return result;
  }

  private synchronized void complete(Entry entry, Anomaly result, TriageException error) {
    entry.result = result;
    entry.error = error;
    entry.done = true;
    entry.storedAt = clock.millis();
  }

  /** Removes the oldest completed entries until the bound holds. Called under the monitor. */
  private void shrink(long now) {
    Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator();
    while (entries.size() > maxKeys && it.hasNext()) {
      Entry e = it.next().getValue();
      if (e.done) {
        it.remove();
        if (now - e.storedAt < ttlMillis) {
          dropped.increment();
        }
      }
    }
  }

  /**
   * Removes the keys whose outcome has expired; called on engine ticks.
   *
   * @param nowMillis the engine clock
   */
  public synchronized void expire(long nowMillis) {
    entries.values().removeIf(e -> e.done && nowMillis - e.storedAt >= ttlMillis);
  }

  /** @return keys held */
  public synchronized int size() {
    return entries.size();
  }

  /** @return unexpired keys removed because the store was full */
  public long dropped() {
    return dropped.sum();
  }

  /** @return requests answered from a stored outcome */
  public long replayed() {
    return replayed.sum();
  }
}
