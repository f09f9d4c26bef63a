package io.batanomaly.kafka.internal;

import io.batanomaly.AnomalyEngine;
import io.batanomaly.AnomalyNotification;
import io.batanomaly.AuditEvent;
import io.batanomaly.kafka.AnomalyTopology;
import io.batanomaly.kafka.Keying;
import io.batanomaly.kafka.TimeMode;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task of one keying's sub-topology: an engine with only that keying's detectors, fed the
 * task's events one at a time, ticked by punctuators.
 *
 * <p><b>State.</b> Every event is also written to the task's changelogged window store, keyed
 * as the task's input and kept for the topology's state retention. When the processor starts
 * (a new task, a restart, or a failover to another instance, after Kafka Streams has restored
 * the store from its changelog), the engine is new and empty, and the processor replays the
 * stored events into it in time order before the first new event, ticks included under
 * {@link TimeMode#EVENT_TIME}. Findings the replay repeats fold into the anomalies already in
 * the shared repository instead of opening new ones.
 *
 * <p><b>Notifications.</b> The engine hands notifications to its listener on its own thread;
 * the listener only queues them, and the stream thread forwards the queue to the notification
 * topic after each event and on every punctuation, since only the stream thread may forward.
 *
 * <p>Not thread-safe: Kafka Streams calls one processor from one stream thread.
 */
public final class EngineProcessor implements Processor<String, AuditEvent, String, String> {
  private static final Logger LOG = LoggerFactory.getLogger(EngineProcessor.class);
  private static final long FLUSH_MILLIS = 1_000;

  private final Keying keying;
  private final String storeName;
  private final Function<InstantSource, AnomalyEngine.Builder> engines;
  private final InstantSource wall;
  private final TimeMode mode;
  private final long step;
  private final TopologyCounters counters;
  private final ConcurrentLinkedQueue<AnomalyNotification> pending = new ConcurrentLinkedQueue<>();

  private ProcessorContext<String, String> context;
  private WindowStore<String, AuditEvent> store;
  private TaskClock clock;
  private AnomalyEngine engine;
  private long nextTick = Long.MIN_VALUE;
  private long lastActivationFailureLog = Long.MIN_VALUE;

  /**
   * Creates the processor of one task.
   *
   * @param keying the sub-topology's keying
   * @param storeName the task's event store
   * @param engines creates an engine builder over a clock, with the keying's detectors
   * @param wall the host's clock
   * @param mode the time mode
   * @param tickInterval {@code ANOMALY_TICK_INTERVAL}
   * @param counters the instance's counters
   */
  public EngineProcessor(Keying keying, String storeName,
      Function<InstantSource, AnomalyEngine.Builder> engines, InstantSource wall, TimeMode mode,
      Duration tickInterval, TopologyCounters counters) {
    this.keying = keying;
    this.storeName = storeName;
    this.engines = engines;
    this.wall = wall;
    this.mode = mode;
    this.step = tickInterval.toMillis();
    this.counters = counters;
  }

  @Override
  public void init(ProcessorContext<String, String> context) {
    this.context = context;
    this.store = context.getStateStore(storeName);
    this.clock = new TaskClock(mode == TimeMode.WALL_CLOCK ? wall : null, 0);
    this.engine = engines.apply(clock).listener(pending::add).build();
    long replayed = replay();
    if (replayed > 0) {
      LOG.info("Task {} ({} keying) rebuilt its windows from {} stored events",
          context.taskId(), keying, replayed);
    }
    if (mode == TimeMode.WALL_CLOCK) {
      context.schedule(Duration.ofMillis(step), PunctuationType.WALL_CLOCK_TIME, t -> {
        engine.tick();
        flush(t);
      });
    } else {
      context.schedule(Duration.ofMillis(step), PunctuationType.STREAM_TIME, t -> {
        catchUp(t, true);
        flush(t);
      });
    }
    if (step > FLUSH_MILLIS) {
      context.schedule(Duration.ofMillis(FLUSH_MILLIS), PunctuationType.WALL_CLOCK_TIME,
          this::flush);
    }
  }

  private long replay() {
    long start = System.nanoTime();
    List<KeyValue<Windowed<String>, AuditEvent>> stored = new ArrayList<>();
    try (KeyValueIterator<Windowed<String>, AuditEvent> it = store.all()) {
      while (it.hasNext()) {
        stored.add(it.next());
      }
    }
    stored.sort(Comparator.comparingLong(kv -> kv.key.window().start()));
    for (KeyValue<Windowed<String>, AuditEvent> kv : stored) {
      apply(kv.value);
    }
    counters.replayed(stored.size(), System.nanoTime() - start);
    return stored.size();
  }

  @Override
  public void process(Record<String, AuditEvent> record) {
    AuditEvent event = record.value();
    store.put(record.key(), event, record.timestamp());
    apply(event);
    counters.processed();
    flush(record.timestamp());
  }

  private void apply(AuditEvent event) {
    boolean activation = AnomalyTopology.VERSION_ACTIVATION_EVENT_TYPE.equals(event.eventType());
    long t = event.epochMillis();
    if (mode == TimeMode.EVENT_TIME && t != AuditEvent.NO_TIMESTAMP) {
      if (activation) {
        // as a host's call at that instant: after the ticks before it, before any at it
        catchUp(t, false);
        clock.advanceTo(t);
      } else {
        // the clock stands at the end of the event's second, as in a replay of one-second
        // batches, so detection times match an embedded engine's replay
        long batchEnd = Math.floorDiv(t, 1000) * 1000 + 999;
        catchUp(batchEnd, true);
        clock.advanceTo(batchEnd);
      }
    }
    if (activation) {
      activate(event);
    } else {
      engine.ingest(Collections.singletonList(event));
    }
  }

  private void activate(AuditEvent e) {
    try {
      engine.activateVersion(e.tenant(), e.policyModule(), e.policyFunction(), e.versionId());
      counters.activated();
    } catch (RuntimeException bad) {
      long now = System.currentTimeMillis();
      if (lastActivationFailureLog == Long.MIN_VALUE || now - lastActivationFailureLog >= 60_000) {
        lastActivationFailureLog = now;
        LOG.warn("Ignored a version activation the engine refused: {} ({})", e, bad.getMessage());
      }
    }
  }

  /** Ticks the engine at every multiple of the tick interval up to {@code upTo}. */
  private void catchUp(long upTo, boolean inclusive) {
    if (nextTick == Long.MIN_VALUE) {
      nextTick = (Math.floorDiv(upTo, step) + 1) * step;
      return;
    }
    while (nextTick < upTo || (inclusive && nextTick == upTo)) {
      clock.advanceTo(nextTick);
      engine.tick();
      nextTick += step;
    }
  }

  private void flush(long timestamp) {
    AnomalyNotification n;
    while ((n = pending.poll()) != null) {
      context.forward(new Record<>(n.anomaly().tenant(), AnomalyTopology.notificationJson(n),
          timestamp));
      counters.notified();
    }
  }

  @Override
  public void close() {
    if (engine != null) {
      engine.close();
    }
  }
}
