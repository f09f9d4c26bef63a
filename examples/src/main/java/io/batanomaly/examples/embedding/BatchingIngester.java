package io.batanomaly.examples.embedding;

import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.IngestResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers a host's audit events and hands them to the engine in batches: when a batch is full
 * (on the thread that filled it) and at least every {@code maxDelay} (on a daemon thread), so a
 * quiet host still reports within that delay.
 *
 * <p>The request path never waits for it: {@link #offer} puts the event in a bounded queue and,
 * when a batch is full and no other thread is flushing, ingests it; when the queue is full the
 * event is dropped and counted. One thread flushes at a time, so when {@link #flush()} returns,
 * everything offered before it was called has been ingested. Thread-safe.
 */
public final class BatchingIngester implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BatchingIngester.class);

  private final AnomalyEngine engine;
  private final int batchSize;
  private final ArrayBlockingQueue<AuditEvent> queue;
  private final ScheduledExecutorService flusher;
  private final LongAdder offered = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder accepted = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder batches = new LongAdder();
  private final ReentrantLock flushing = new ReentrantLock();
  private volatile boolean closed;

  /**
   * Creates an ingester.
   *
   * @param engine the engine to feed
   * @param batchSize events per batch, at least 1
   * @param capacity events the buffer holds, at least {@code batchSize}
   * @param maxDelay longest time an event waits for its batch; zero leaves flushing to full
   *     batches and {@link #flush()}
   * @throws IllegalArgumentException if a size is out of range or the delay is negative; the
   *     message gives the value
   * @throws NullPointerException if {@code engine} or {@code maxDelay} is null
   */
  public BatchingIngester(AnomalyEngine engine, int batchSize, int capacity, Duration maxDelay) {
    this.engine = Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(maxDelay, "maxDelay");
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, but was " + batchSize);
    }
    if (capacity < batchSize) {
      throw new IllegalArgumentException("capacity must be at least batchSize (" + batchSize
          + "), but was " + capacity);
    }
    if (maxDelay.isNegative()) {
      throw new IllegalArgumentException("maxDelay must not be negative, but was " + maxDelay);
    }
    this.batchSize = batchSize;
    this.queue = new ArrayBlockingQueue<>(capacity);
    if (maxDelay.isZero()) {
      this.flusher = null;
    } else {
      ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "audit-batch-flusher");
        t.setDaemon(true);
        return t;
      });
      s.scheduleWithFixedDelay(this::flushQuietly, maxDelay.toNanos(), maxDelay.toNanos(),
          TimeUnit.NANOSECONDS);
      this.flusher = s;
    }
  }

  /**
   * Buffers one event; ingests a batch on this thread if the buffer holds a full one.
   *
   * @param event the event
   * @return {@code true} if buffered, {@code false} if dropped because the buffer is full or
   *     the ingester is closed
   */
  public boolean offer(AuditEvent event) {
    offered.increment();
    if (closed || !queue.offer(event)) {
      dropped.increment();
      return false;
    }
    // a thread already flushing drains until the queue is empty, this event included
    if (queue.size() >= batchSize && flushing.tryLock()) {
      try {
        drain();
      } finally {
        flushing.unlock();
      }
    }
    return true;
  }

  /**
   * Ingests everything buffered, in batches of at most {@code batchSize}, waiting for a flush
   * another thread is running.
   */
  public void flush() {
    flushing.lock();
    try {
      drain();
    } finally {
      flushing.unlock();
    }
  }

  private void drain() {
    List<AuditEvent> batch = new ArrayList<>(batchSize);
    while (queue.drainTo(batch, batchSize) > 0) {
      IngestResult r = engine.ingest(batch);
      accepted.add(r.accepted());
      rejected.add(r.rejected().size());
      batches.increment();
      batch.clear();
    }
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (RuntimeException e) {
      LOG.warn("Flushing audit events failed; they are lost", e);
    }
  }

  /** @return events offered */
  public long offered() {
    return offered.sum();
  }

  /** @return events dropped because the buffer was full or the ingester closed */
  public long dropped() {
    return dropped.sum();
  }

  /** @return events the engine accepted */
  public long accepted() {
    return accepted.sum();
  }

  /** @return events the engine rejected (invalid content, late, over a limit) */
  public long rejected() {
    return rejected.sum();
  }

  /** @return batches ingested */
  public long batches() {
    return batches.sum();
  }

  /** Stops the periodic flush and ingests what is buffered. Idempotent. */
  @Override
  public void close() {
    closed = true;
    if (flusher != null) {
      flusher.shutdownNow();
    }
    flush();
  }
}
