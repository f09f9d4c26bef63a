package io.batanomaly.internal;

import io.batanomaly.spi.Finding;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Findings that could not be stored, kept in arrival order until the store answers again.
 *
 * <p>While the store is available and nothing is buffered, {@link #bypass()} is {@code true}
 * and findings go straight to the store: two volatile reads, no lock. After a failure the store
 * is marked unavailable and every finding is {@linkplain #offer offered} here instead, so an
 * ingest thread waits for the store at most once (one timeout) per outage, never per finding.
 * The engine's tick drains the buffer in order; at {@code capacity} further findings are dropped
 * and counted.
 *
 * <p><b>Concurrency.</b> Any thread may offer; one thread at a time (the tick) peeks and
 * removes. The deque is guarded by its own monitor; the size is mirrored in an atomic so the
 * health snapshot reads it without the lock.
 */
final class StoreBuffer {

  private static final Logger LOG = LoggerFactory.getLogger(StoreBuffer.class);

  private final int capacity;
  private final ArrayDeque<Finding> findings = new ArrayDeque<>();
  private final AtomicInteger size = new AtomicInteger();
  private final LongAdder overflowed = new LongAdder();
  private volatile boolean available = true;

  StoreBuffer(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be 1 or more, but was " + capacity);
    }
    this.capacity = capacity;
  }

  /** @return whether findings may go straight to the store */
  boolean bypass() {
    return available && size.get() == 0;
  }

  boolean available() {
    return available;
  }

  boolean isEmpty() {
    return size.get() == 0;
  }

  int size() {
    return size.get();
  }

  long overflowed() {
    return overflowed.sum();
  }

  void offer(Finding f) {
    synchronized (findings) {
      if (findings.size() >= capacity) {
        overflowed.increment();
        return;
      }
      findings.addLast(f);
      size.incrementAndGet();
    }
  }

  Finding peek() {
    synchronized (findings) {
      return findings.peekFirst();
    }
  }

  void remove(Finding f) {
    synchronized (findings) {
      if (findings.peekFirst() == f) {
        findings.pollFirst();
        size.decrementAndGet();
      }
    }
  }

  void failed(RuntimeException cause) {
    if (available) {
      LOG.warn("The anomaly store is unavailable; findings are buffered (at most {}) and"
          + " retried on ticks", capacity, cause);
    }
    available = false;
  }

  void recovered() {
    if (!available) {
      LOG.info("The anomaly store is available again");
    }
    available = true;
  }
}
