package io.batanomaly.internal;

import io.batanomaly.api.Anomaly;
import io.batanomaly.api.IdempotencyKeyInFlightException;
import io.batanomaly.api.IdempotencyKeyReusedException;
import io.batanomaly.api.InvalidRequestException;
import io.batanomaly.api.TriageException;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Idempotency-Key handling for status updates, after the IETF httpapi Idempotency-Key draft.
 *
 * <p>Keys are scoped to the tenant. The first request with a key runs; its outcome (the updated
 * anomaly, or the client error it failed with) is stored for the time-to-live by the engine
 * clock. A retry with the same key and the same request gets the stored outcome again without
 * running; the same key with a different request fails with
 * {@link IdempotencyKeyReusedException} (422); a retry while the first is still running fails
 * with {@link IdempotencyKeyInFlightException} (409). A request that fails with an unexpected
 * (server) error stores nothing, so it can be retried.
 *
 * <p>The store holds at most {@code maxKeys} keys: when full, expired keys are removed first,
 * then the oldest completed ones; removals of unexpired keys are counted as dropped.
 */
public final class IdempotencyStore {

  /** Longest key accepted, in characters. */
  public static final int MAX_KEY_LENGTH = 255;

  private record Key(String tenant, String key) {}

  private static final class Entry {
    final Object request;
    final long storedAt;
    volatile boolean done;
    volatile Anomaly result;
    volatile TriageException error;

    Entry(Object request, long storedAt) {
      this.request = request;
      this.storedAt = storedAt;
    }
  }

  private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
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
   */
  public IdempotencyStore(InstantSource clock, long ttlMillis, int maxKeys) {
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
   * @throws TriageException the action's client error, or its stored one on replay, or a key
   *     error
   */
  public Anomaly execute(String tenant, String key, Object request, Supplier<Anomaly> action) {
    checkKey(key);
    Key k = new Key(tenant, key);
    Entry mine = new Entry(request, clock.millis());
    for (;;) {
      Entry existing = entries.putIfAbsent(k, mine);
      if (existing == null) {
        break;
      }
      if (mine.storedAt - existing.storedAt >= ttlMillis) {
        entries.remove(k, existing);
        continue;
      }
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
    if (entries.size() > maxKeys) {
      shrink(mine.storedAt);
    }
    try {
      Anomaly result = action.get();
      mine.result = result;
      return result;
    } catch (TriageException clientError) {
      mine.error = clientError;
      throw clientError;
    } catch (RuntimeException | Error serverError) {
      entries.remove(k, mine);
      throw serverError;
    } finally {
      mine.done = true;
    }
  }

  /** Removes expired keys; called on engine ticks. */
  public void expire(long nowMillis) {
    entries.values().removeIf(e -> e.done && nowMillis - e.storedAt >= ttlMillis);
  }

  private synchronized void shrink(long now) {
    expire(now);
    int excess = entries.size() - maxKeys;
    if (excess <= 0) {
      return;
    }
    entries.entrySet().stream()
        .filter(e -> e.getValue().done)
        .sorted(Comparator.comparingLong(e -> e.getValue().storedAt))
        .limit(excess)
        .map(Map.Entry::getKey)
        .toList()
        .forEach(k -> {
          if (entries.remove(k) != null) {
            dropped.increment();
          }
        });
  }

  /** @return keys held */
  public int size() {
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
