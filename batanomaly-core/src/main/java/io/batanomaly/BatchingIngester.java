package io.batanomaly;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers a host's audit events and hands them to the engine in batches: when a batch is full
 * (on the thread that filled it) and at least every {@code maxDelay} (on a daemon thread), so a
 * quiet host still reports within that delay. A servlet filter or an interceptor offers each
 * request's event here and goes on.
 *
 * <pre>{@code
 * BatchingIngester ingester = new BatchingIngester(engine, 500, 50_000, Duration.ofSeconds(1));
 * ingester.offer(event);   // on the request path: never waits
 * ingester.close();        // before engine.close(): ingests what is buffered
 * }</pre>
 *
 * <p><b>Concurrency.</b> {@link #offer} never waits: it reserves a place in the bounded buffer
 * by an atomic increment of its size (a lock-free queue holds the events) and drops and counts
 * the event when the buffer is full. The thread whose event completes a batch ingests the buffer
 * if no other thread is flushing ({@code tryLock}, never a wait); otherwise the flushing thread
 * drains it. One thread flushes at a time, so when {@link #flush()} returns, everything offered
 * before it was called has been ingested. Thread-safe.
 */
public final class BatchingIngester implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BatchingIngester.class);

  private static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final AnomalyEngine engine;
  private final int batchSize;
  private final int capacity;
  private final ConcurrentLinkedQueue<AuditEvent> queue = new ConcurrentLinkedQueue<>();
  /** Places reserved in the buffer: events queued plus offers between reserving and queueing. */
  private final AtomicInteger size = new AtomicInteger();
  private final ScheduledExecutorService flusher;
  private final LongAdder offered = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder accepted = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder batches = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final java.util.concurrent.atomic.AtomicLong lastFailureLog =
      new java.util.concurrent.atomic.AtomicLong();
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
    this.capacity = capacity;
    if (maxDelay.isZero()) {
      this.flusher = null;
    } else {
      ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "batanomaly-batch-flusher");
        t.setDaemon(true);
        return t;
      });
      s.scheduleWithFixedDelay(this::flush, maxDelay.toNanos(), maxDelay.toNanos(),
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
   * @throws NullPointerException if {@code event} is null
   */
  public boolean offer(AuditEvent event) {
    Objects.requireNonNull(event, "event");
    offered.increment();
    if (closed) {
      dropped.increment();
      return false;
    }
    int reserved = size.incrementAndGet();
    if (reserved > capacity) {
      size.decrementAndGet();
      dropped.increment();
      return false;
    }
    queue.offer(event);
    // a thread already flushing drains until the queue is empty, this event included
    if (reserved >= batchSize && flushing.tryLock()) {
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
    while (true) {
      AuditEvent next;
      while (batch.size() < batchSize && (next = queue.poll()) != null) {
        batch.add(next);
      }
      if (batch.isEmpty()) {
        return;
      }
      size.addAndGet(-batch.size());
      try {
        IngestResult r = engine.ingest(batch);
        accepted.add(r.accepted());
        rejected.add(r.rejected().size());
        batches.increment();
      } catch (RuntimeException e) {
        // only a closed engine throws here; the request path must not see it
        failed.add(batch.size());
        logFailure(e);
      }
      batch.clear();
    }
  }

  private void logFailure(RuntimeException e) {
    long now = System.nanoTime();
    long last = lastFailureLog.get();
    if ((last == 0 || now - last >= LOG_INTERVAL_NANOS)
        && lastFailureLog.compareAndSet(last, now == 0 ? 1 : now)) {
      LOG.warn("Ingesting buffered audit events failed; {} events lost so far", failed.sum(), e);
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

  /**
   * Returns the events lost because ingest threw, which only a closed engine does; the failure
   * is logged at most once a minute.
   *
   * @return events lost that way
   */
  public long failed() {
    return failed.sum();
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

  /**
   * Stops the periodic flush and ingests what is buffered; later offers are dropped and
   * counted. Close it before the engine. Idempotent.
   */
  @Override
  public void close() {
    closed = true;
    if (flusher != null) {
      flusher.shutdownNow();
    }
    flush();
  }
}
