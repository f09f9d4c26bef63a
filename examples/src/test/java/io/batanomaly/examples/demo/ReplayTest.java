package io.batanomaly.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.api.Anomaly;
import io.batanomaly.spi.Detector;
import io.batanomaly.spi.DetectorContext;
import io.batanomaly.spi.DetectorProvider;
import io.batanomaly.spi.FindingSink;
import io.batanomaly.spi.Reevaluation;
import io.batanomaly.spi.ServiceScope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReplayTest {
  private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");

  private final List<Long> ticks = new ArrayList<>();
  private final List<long[]> observed = new ArrayList<>();
  private final SimulatedClock clock = new SimulatedClock(T0);
  private final AnomalyEngine engine = AnomalyEngine.builder().clock(clock).autoTick(false)
      .discoverDetectors(false).detector(new RecordingProvider()).build();

  @AfterEach
  void close() {
    engine.close();
  }

  private AuditEvent at(Duration offset) {
    return AuditEvent.builder().tenant("acme").service("billing").timestamp(T0.plus(offset))
        .status(200).build();
  }

  @Test
  void ticksEveryTenSimulatedSecondsAndRunsOnToTheEnd() {
    List<AuditEvent> events = List.of(at(Duration.ofSeconds(3)), at(Duration.ofSeconds(25)));
    Replay.Stats stats = new Replay(engine, clock, p -> { }, Duration.ofSeconds(1))
        .play(events.iterator(), T0.plus(Duration.ofMinutes(1)), List.of());

    assertThat(ticks).containsExactly(10_000L, 20_000L, 30_000L, 40_000L, 50_000L, 60_000L);
    assertThat(stats.ticks()).isEqualTo(6);
    assertThat(stats.events()).isEqualTo(2);
    assertThat(stats.accepted()).isEqualTo(2);
    assertThat(stats.batches()).isEqualTo(2);
    assertThat(stats.to()).isEqualTo(T0.plus(Duration.ofMinutes(1)));
  }

  @Test
  void movesTheClockToTheEndOfEachBatchSecondBeforeIngesting() {
    List<AuditEvent> events = List.of(at(Duration.ofMillis(3_200)), at(Duration.ofMillis(3_900)),
        at(Duration.ofMillis(12_100)));
    new Replay(engine, clock, p -> { }, Duration.ofSeconds(1))
        .play(events.iterator(), T0, List.of());

    // {event time, engine clock when observed}, both relative to T0
    assertThat(observed).extracting(o -> o[1]).containsExactly(3_999L, 3_999L, 12_999L);
    // the tick at +10 s ran before the batch of second 12
    assertThat(ticks).containsExactly(10_000L);
  }

  @Test
  void runsScheduledActionsWhenSimulatedTimeReachesThem() {
    List<Long> ran = new ArrayList<>();
    List<AuditEvent> events = List.of(at(Duration.ofSeconds(1)), at(Duration.ofSeconds(40)));
    new Replay(engine, clock, p -> { }, Duration.ofSeconds(1)).play(events.iterator(),
        T0.plus(Duration.ofSeconds(90)), List.of(
            new Replay.ScheduledAction(T0.plusSeconds(75), "late", e -> ran.add(offset())),
            new Replay.ScheduledAction(T0.plusSeconds(15), "early", e -> ran.add(offset()))));

    assertThat(ran).containsExactly(15_000L, 75_000L);
  }

  private long offset() {
    return clock.millis() - T0.toEpochMilli();
  }

  private final class RecordingProvider implements DetectorProvider {
    @Override
    public String name() {
      return "recording";
    }

    @Override
    public Detector create(DetectorContext context) {
      return new Detector() {
        @Override
        public Set<String> types() {
          return Set.of("RECORDED");
        }

        @Override
        public void observe(AuditEvent event, ServiceScope scope, FindingSink sink) {
          observed.add(new long[] {event.epochMillis() - T0.toEpochMilli(), offset()});
        }

        @Override
        public void tick(long nowMillis, FindingSink sink) {
          ticks.add(nowMillis - T0.toEpochMilli());
        }

        @Override
        public Reevaluation reevaluate(Anomaly anomaly, long nowMillis) {
          return Reevaluation.cleared("nothing is recorded", Map.of());
        }
      };
    }
  }
}
