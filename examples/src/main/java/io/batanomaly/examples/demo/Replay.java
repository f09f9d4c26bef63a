package io.batanomaly.examples.demo;

import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.IngestResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Replays a time-ordered stream of events into an engine in accelerated time.
 *
 * <p>Events are ingested in batches of one simulated second. Before each batch the
 * {@link SimulatedClock} moves to the end of that second, and the engine ticks every
 * {@link #TICK} of simulated time on the way, so time-driven checks (silence, expiry) see the
 * same clock they would see live. After the last event the clock runs on to the requested end,
 * still ticking, so a condition that needs quiet time (a silent service) can surface.
 *
 * <p>Scheduled actions let a scenario talk to the engine at a given simulated time, as a host
 * would (for example, declaring which policy version is active after a rollout).
 *
 * <p>Not thread-safe: one replay runs on one thread.
 */
public final class Replay {

  /** Simulated time between two engine ticks. */
  public static final Duration TICK = Duration.ofSeconds(10);

  /**
   * Something a scenario does to the engine at a simulated time.
   *
   * @param at when, in simulated time
   * @param description what it is, for the demo output
   * @param action what it does
   */
  public record ScheduledAction(Instant at, String description, Consumer<AnomalyEngine> action) {
    /**
     * Creates an action.
     *
     * @throws NullPointerException if any argument is null
     */
    public ScheduledAction {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(description, "description");
      Objects.requireNonNull(action, "action");
    }
  }

  /**
   * A progress report, taken at most once per reporting interval of wall time.
   *
   * @param simulatedTime where simulated time is
   * @param simulatedElapsed simulated time since the replay started
   * @param events events ingested so far
   * @param eventsPerSecond events ingested per wall-clock second since the previous report
   * @param anomaliesOpened anomalies opened so far
   * @param wallElapsed wall-clock time since the replay started
   */
  public record Progress(Instant simulatedTime, Duration simulatedElapsed, long events,
      double eventsPerSecond, long anomaliesOpened, Duration wallElapsed) {}

  /**
   * What a finished replay did.
   *
   * @param events events ingested
   * @param accepted events the engine accepted
   * @param rejected events the engine rejected
   * @param batches batches ingested
   * @param ticks engine ticks
   * @param from simulated start
   * @param to simulated end
   * @param wall wall-clock duration
   */
  public record Stats(long events, long accepted, long rejected, long batches, long ticks,
      Instant from, Instant to, Duration wall) {

    /** @return events ingested per wall-clock second, over the whole replay */
    public double eventsPerSecond() {
      double seconds = wall.toNanos() / 1e9;
      return seconds <= 0 ? 0 : events / seconds;
    }

    /** @return how much faster than real time the replay ran */
    public double speedUp() {
      double seconds = wall.toNanos() / 1e9;
      return seconds <= 0 ? 0 : Duration.between(from, to).toMillis() / 1000d / seconds;
    }
  }

  private final AnomalyEngine engine;
  private final SimulatedClock clock;
  private final Consumer<Progress> progress;
  private final long progressEveryNanos;

  /**
   * Creates a replay.
   *
   * @param engine an engine built with {@code clock} and {@code autoTick(false)}
   * @param clock the engine's clock
   * @param progress receives progress reports
   * @param progressEvery wall-clock time between two progress reports
   * @throws NullPointerException if any argument is null
   */
  public Replay(AnomalyEngine engine, SimulatedClock clock, Consumer<Progress> progress,
      Duration progressEvery) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.progress = Objects.requireNonNull(progress, "progress");
    this.progressEveryNanos = progressEvery.toNanos();
  }

  /**
   * Plays events, in time order, then lets simulated time run on to {@code end}.
   *
   * @param events the events; each must be no more than the engine's allowed lateness behind
   *     the newest one before it, or the engine rejects it as late
   * @param end when the replay ends, in simulated time; if earlier than the last event, the
   *     replay ends at the last event
   * @param actions actions to run when simulated time reaches them, in any order
   * @return what the replay did
   */
  public Stats play(Iterator<AuditEvent> events, Instant end, List<ScheduledAction> actions) {
    List<ScheduledAction> pending = new ArrayList<>(actions);
    pending.sort(Comparator.comparing(ScheduledAction::at));
    Instant from = clock.instant();
    long startNanos = System.nanoTime();
    long lastReportNanos = startNanos;
    long lastReportEvents = 0;
    long count = 0;
    long accepted = 0;
    long batches = 0;
    long ticks = 0;
    long tickEvery = TICK.toMillis();
    long nextTick = clock.millis() + tickEvery;
    int nextAction = 0;
    List<AuditEvent> batch = new ArrayList<>();
    AuditEvent carry = events.hasNext() ? events.next() : null;
    while (carry != null) {
      long second = Math.floorDiv(carry.epochMillis(), 1000);
      batch.clear();
      batch.add(carry);
      carry = null;
      while (events.hasNext()) {
        AuditEvent e = events.next();
        if (Math.floorDiv(e.epochMillis(), 1000) != second) {
          carry = e;
          break;
        }
        batch.add(e);
      }
      long batchTime = second * 1000 + 999;
      while (nextTick <= batchTime || (nextAction < pending.size()
          && pending.get(nextAction).at().toEpochMilli() <= batchTime)) {
        long actionAt = nextAction < pending.size()
            ? pending.get(nextAction).at().toEpochMilli() : Long.MAX_VALUE;
        if (actionAt <= nextTick && actionAt <= batchTime) {
          clock.advanceTo(actionAt);
          pending.get(nextAction++).action().accept(engine);
        } else {
          clock.advanceTo(nextTick);
          engine.tick();
          ticks++;
          nextTick += tickEvery;
        }
      }
      clock.advanceTo(batchTime);
      IngestResult r = engine.ingest(batch);
      count += batch.size();
      accepted += r.accepted();
      batches++;
      long now = System.nanoTime();
      if (now - lastReportNanos >= progressEveryNanos) {
        progress.accept(progress(from, count, count - lastReportEvents, now - lastReportNanos,
            now - startNanos));
        lastReportNanos = now;
        lastReportEvents = count;
      }
    }
    long endMillis = Math.max(clock.millis(), end.toEpochMilli());
    while (nextTick <= endMillis) {
      while (nextAction < pending.size()
          && pending.get(nextAction).at().toEpochMilli() <= nextTick) {
        clock.advanceTo(pending.get(nextAction).at().toEpochMilli());
        pending.get(nextAction++).action().accept(engine);
      }
      clock.advanceTo(nextTick);
      engine.tick();
      ticks++;
      nextTick += tickEvery;
    }
    clock.advanceTo(endMillis);
    long endNanos = System.nanoTime();
    progress.accept(progress(from, count, count - lastReportEvents, endNanos - lastReportNanos,
        endNanos - startNanos));
    return new Stats(count, accepted, count - accepted, batches, ticks, from, clock.instant(),
        Duration.ofNanos(endNanos - startNanos));
  }

  private Progress progress(Instant from, long events, long sinceLast, long intervalNanos,
      long elapsedNanos) {
    double rate = intervalNanos <= 0 ? 0 : sinceLast / (intervalNanos / 1e9);
    Instant now = clock.instant();
    return new Progress(now, Duration.between(from, now), events, rate,
        engine.health().anomaliesOpened(), Duration.ofNanos(elapsedNanos));
  }
}
