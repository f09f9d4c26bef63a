package io.batanomaly.testkit;

import io.batanomaly.api.Anomaly;
import io.batanomaly.internal.InMemoryAnomalyRepository;
import io.batanomaly.spi.AnomalyRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An in-memory repository whose next {@link #replace} the test can hold on a latch (to keep a
 * request in flight) or make fail (to simulate a store outage). Everything else is delegated
 * to an {@link InMemoryAnomalyRepository}. Thread-safe.
 */
public final class GatedRepository implements AnomalyRepository {

  private record Gate(CountDownLatch entered, CountDownLatch release, RuntimeException failure) {}

  private final AnomalyRepository delegate;
  private final AtomicReference<Gate> next = new AtomicReference<>();

  /** Creates a repository over a large in-memory one. */
  public GatedRepository() {
    this(new InMemoryAnomalyRepository(10_000, Duration.ofDays(30)));
  }

  /** @param delegate the repository that stores */
  public GatedRepository(AnomalyRepository delegate) {
    this.delegate = delegate;
  }

  /**
   * Makes the next {@link #replace} count {@code entered} down and wait (at most 20 seconds)
   * for {@code release} before storing.
   *
   * @param entered counted down when the held call starts
   * @param release what the held call waits for
   */
  public void holdNextReplace(CountDownLatch entered, CountDownLatch release) {
    next.set(new Gate(entered, release, null));
  }

  /**
   * Makes the next {@link #replace} throw instead of storing.
   *
   * @param failure what to throw
   */
  public void failNextReplace(RuntimeException failure) {
    next.set(new Gate(null, null, failure));
  }

  @Override
  public boolean replace(Anomaly expected, Anomaly updated) {
    Gate gate = next.getAndSet(null);
    if (gate != null) {
      if (gate.failure != null) {
        throw gate.failure;
      }
      gate.entered.countDown();
      try {
        gate.release.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return delegate.replace(expected, updated);
  }

  @Override
  public void insert(Anomaly anomaly) {
    delegate.insert(anomaly);
  }

  @Override
  public Optional<Anomaly> find(String tenant, String id) {
    return delegate.find(tenant, id);
  }

  @Override
  public List<Anomaly> list(String tenant, String type, Instant detectedSince) {
    return delegate.list(tenant, type, detectedSince);
  }

  @Override
  public Optional<Anomaly> findActive(String tenant, String type, String subject) {
    return delegate.findActive(tenant, type, subject);
  }

  @Override
  public void expire(Instant now) {
    delegate.expire(now);
  }
}
