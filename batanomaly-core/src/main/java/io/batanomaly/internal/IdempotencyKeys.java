package io.batanomaly.internal;

import io.batanomaly.api.Anomaly;
import io.batanomaly.api.IdempotencyKeyInFlightException;
import io.batanomaly.api.IdempotencyKeyReusedException;
import io.batanomaly.api.InvalidRequestException;
import io.batanomaly.api.TriageException;
import io.batanomaly.spi.IdempotencyStore;
import io.batanomaly.spi.IdempotencyStore.Claim;
import io.batanomaly.spi.IdempotencyStore.Outcome;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Idempotency-Key handling for status updates, after the IETF httpapi Idempotency-Key draft,
 * over an {@link IdempotencyStore}.
 *
 * <p>Keys are scoped to the tenant. The first request with a key claims it and runs; its
 * outcome (the updated anomaly, or the client error it failed with) is stored for the
 * time-to-live, counted by the engine clock from the moment the outcome was stored. A retry with
 * the same key and the same request gets the stored outcome again without running; the same key
 * with a different request fails with {@link IdempotencyKeyReusedException} (422); a retry while
 * the first is still running fails with {@link IdempotencyKeyInFlightException} (409). A request
 * that fails with an unexpected (server) error releases its claim, so it can be retried. A claim
 * whose request never finishes (its engine died) blocks the key for the lease only; then a retry
 * of the same request takes it over and runs.
 *
 * <p>Thread-safe: every step is one atomic call on the store; the request's work runs outside.
 */
public final class IdempotencyKeys {

  /** Longest key accepted, in characters. */
  public static final int MAX_KEY_LENGTH = 255;

  private static final Logger LOG = LoggerFactory.getLogger(IdempotencyKeys.class);

  private final IdempotencyStore store;
  private final InstantSource clock;
  private final long ttlMillis;
  private final long leaseMillis;
  private final LongAdder replayed = new LongAdder();

  /**
   * Creates the handling over a store.
   *
   * @param store where claims and outcomes are kept
   * @param clock the engine clock
   * @param ttlMillis how long an outcome is kept
   * @param leaseMillis how long an unfinished claim blocks its key
   * @throws IllegalArgumentException if {@code ttlMillis} is negative or {@code leaseMillis} is
   *     not positive
   */
  public IdempotencyKeys(IdempotencyStore store, InstantSource clock, long ttlMillis,
      long leaseMillis) {
    if (ttlMillis < 0) {
      throw new IllegalArgumentException("ttlMillis must be 0 or more, but was " + ttlMillis);
    }
    if (leaseMillis <= 0) {
      throw new IllegalArgumentException("leaseMillis must be positive, but was " + leaseMillis);
    }
    this.store = store;
    this.clock = clock;
    this.ttlMillis = ttlMillis;
    this.leaseMillis = leaseMillis;
  }

  /**
   * Creates the handling over an in-memory store of at most {@code maxKeys} keys, with a lease
   * of one minute.
   *
   * @param clock the engine clock
   * @param ttlMillis how long an outcome is kept
   * @param maxKeys how many keys are kept at most
   * @throws IllegalArgumentException if {@code ttlMillis} is negative or {@code maxKeys} is
   *     below 1
   */
  public IdempotencyKeys(InstantSource clock, long ttlMillis, int maxKeys) {
    this(new InMemoryIdempotencyStore(maxKeys), clock, ttlMillis, 60_000);
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
   * Returns the fingerprint of a request: the SHA-256 of its parts, in hex (64 characters).
   * Requests with equal parts, in the same order, have the same fingerprint.
   *
   * @param parts what identifies the request; {@code null} parts are allowed
   * @return the fingerprint
   */
  public static String fingerprint(Object... parts) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Object part : parts) {
        // a length prefix keeps ("ab", "c") apart from ("a", "bc"); -1 marks null
        String text = part == null ? null : part.toString();
        sha.update((text == null ? "-1:" : text.length() + ":").getBytes(StandardCharsets.UTF_8));
        if (text != null) {
          sha.update(text.getBytes(StandardCharsets.UTF_8));
        }
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /**
   * Runs {@code action} once per tenant and key, or replays its stored outcome.
   *
   * @param tenant the tenant
   * @param key the Idempotency-Key
   * @param fingerprint what identifies the request, at most 64 characters, such as
   *     {@link #fingerprint(Object...)} of its parts
   * @param action the request's work
   * @return the action's result, or the stored result of the first request
   * @throws InvalidRequestException if the key is malformed
   * @throws IdempotencyKeyReusedException if the key was used for a different request
   * @throws IdempotencyKeyInFlightException if the first request with the key is still running
   * @throws TriageException the action's client error, or the stored one on replay
   * @throws IllegalArgumentException if the fingerprint is longer than 64 characters
   */
  public Anomaly execute(String tenant, String key, String fingerprint,
      Supplier<Anomaly> action) {
    checkKey(key);
    if (fingerprint.length() > 64) {
      throw new IllegalArgumentException(
          "a fingerprint has at most 64 characters, but had " + fingerprint.length());
    }
    String owner = UUID.randomUUID().toString();
    Instant now = clock.instant();
    Claim claim = store.claim(tenant, key, fingerprint, owner, now,
        now.plusMillis(leaseMillis));
    if (claim instanceof Claim.Reused) {
      throw new IdempotencyKeyReusedException(key);
    }
    if (claim instanceof Claim.InFlight) {
      throw new IdempotencyKeyInFlightException(key);
    }
    if (claim instanceof Claim.Replay replay) {
      replayed.increment();
      if (replay.outcome().error() != null) {
        throw replay.outcome().error();
      }
      return replay.outcome().anomaly();
    }
    Anomaly result;
    try {
      result = action.get();
    } catch (TriageException clientError) {
      complete(tenant, key, owner, new Outcome(null, clientError));
      throw clientError;
    } catch (RuntimeException | Error serverError) {
      try {
        store.release(tenant, key, owner);
      } catch (RuntimeException storeDown) {
        serverError.addSuppressed(storeDown);
      }
      throw serverError;
    }
    complete(tenant, key, owner, new Outcome(result, null));
    return result;
  }

  private void complete(String tenant, String key, String owner, Outcome outcome) {
    Instant done = clock.instant();
    try {
      store.complete(tenant, key, owner, outcome, done, done.plusMillis(ttlMillis));
    } catch (RuntimeException e) {
      // the change itself is made; a retry after the lease runs it again and gets its 409
      LOG.warn("Could not store the outcome of Idempotency-Key '{}' of tenant '{}'", key, tenant,
          e);
    }
  }

  /**
   * Removes the keys whose outcome has expired; called on engine ticks.
   *
   * @param nowMillis the engine clock
   */
  public void expire(long nowMillis) {
    store.expire(Instant.ofEpochMilli(nowMillis));
  }

  /** @return keys held, or -1 if the store cannot tell */
  public int size() {
    return store.size();
  }

  /** @return unexpired keys removed because the store was full */
  public long dropped() {
    return store.dropped();
  }

  /** @return requests answered from a stored outcome */
  public long replayed() {
    return replayed.sum();
  }

  /** @return the store */
  public IdempotencyStore store() {
    return store;
  }
}
