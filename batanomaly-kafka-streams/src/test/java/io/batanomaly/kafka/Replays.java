package io.batanomaly.kafka;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.api.Anomaly;
import io.batanomaly.examples.demo.Demo;
import io.batanomaly.examples.demo.Replay;
import io.batanomaly.examples.demo.ReplaySource;
import io.batanomaly.examples.demo.SimulatedClock;
import io.batanomaly.spi.AnomalyRepository;
import io.batanomaly.spi.Detector;
import io.batanomaly.spi.DetectorContext;
import io.batanomaly.spi.DetectorProvider;
import io.batanomaly.spi.FindingSink;
import io.batanomaly.spi.Reevaluation;
import io.batanomaly.spi.ServiceScope;
import io.batanomaly.spi.TenantScope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The three recorded streams of the demo, as an embedded engine sees them and as the topology's
 * source topic holds them.
 */
final class Replays {
  private Replays() {}

  /** The configuration both sides run with: the demo's. */
  static AnomalyConfig config() {
    return Demo.config(Map.of());
  }

  /** What identifies an anomaly across two runs. */
  record Key(String type, String tenant, String subject) implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      return Comparator.comparing(Key::type).thenComparing(Key::tenant)
          .thenComparing(Key::subject).compare(this, o);
    }
  }

  /**
   * Replays a source through a plain engine, as the demo does.
   *
   * @return each anomaly's key and detection time
   */
  static Map<Key, Instant> embedded(ReplaySource source) {
    SimulatedClock clock = new SimulatedClock(source.start());
    AnomalyRepository repository = repository();
    try (AnomalyEngine engine = AnomalyEngine.builder().config(config()).clock(clock)
        .repository(repository).autoTick(false).build()) {
      new Replay(engine, clock, p -> { }, Duration.ofHours(1))
          .play(source.events().get(), source.end(), source.actions());
      return collect(repository, tenants(source));
    }
  }

  /**
   * The source topic's records: the events, with each scheduled version activation as a
   * {@link AnomalyTopology#versionActivation} event at its time, before the events of that
   * instant.
   */
  static List<AuditEvent> sourceRecords(ReplaySource source) {
    List<AuditEvent> activations = activations(source);
    List<AuditEvent> out = new ArrayList<>();
    Iterator<AuditEvent> events = source.events().get();
    int next = 0;
    while (events.hasNext()) {
      AuditEvent e = events.next();
      while (next < activations.size() && activations.get(next).epochMillis() <= e.epochMillis()) {
        out.add(activations.get(next++));
      }
      out.add(e);
    }
    out.addAll(activations.subList(next, activations.size()));
    return out;
  }

  /** Runs the source's scheduled actions on a recording engine to learn what they declare. */
  static List<AuditEvent> activations(ReplaySource source) {
    List<AuditEvent> found = new ArrayList<>();
    for (Replay.ScheduledAction action : source.actions()) {
      List<String[]> calls = new ArrayList<>();
      try (AnomalyEngine recorder = AnomalyEngine.builder().discoverDetectors(false)
          .autoTick(false).detector(new ActivationRecorder(calls)).build()) {
        action.action().accept(recorder);
      }
      for (String[] c : calls) {
        found.add(AnomalyTopology.versionActivation(c[0], c[1], c[2], c[3], action.at()));
      }
    }
    found.sort(Comparator.comparingLong(AuditEvent::epochMillis));
    return found;
  }

  /** An in-memory repository that keeps everything a replay finds. */
  static AnomalyRepository repository() {
    return new io.batanomaly.internal.InMemoryAnomalyRepository(100_000,
        Duration.ofDays(365 * 30));
  }

  static Set<String> tenants(ReplaySource source) {
    Set<String> tenants = new TreeSet<>();
    source.events().get().forEachRemaining(e -> tenants.add(e.tenant()));
    return tenants;
  }

  static Map<Key, Instant> collect(AnomalyRepository repository, Set<String> tenants) {
    Map<Key, Instant> out = new TreeMap<>();
    for (String tenant : tenants) {
      for (Anomaly a : repository.list(tenant, null, Instant.EPOCH)) {
        Instant previous = out.put(new Key(a.type(), a.tenant(), a.subject()), a.detectedAt());
        if (previous != null && previous.isBefore(a.detectedAt())) {
          out.put(new Key(a.type(), a.tenant(), a.subject()), previous);
        }
      }
    }
    return out;
  }

  private record ActivationRecorder(List<String[]> calls) implements DetectorProvider {
    @Override
    public String name() {
      return "activation_recorder";
    }

    @Override
    public Detector create(DetectorContext context) {
      return new Detector() {
        @Override
        public Set<String> types() {
          return Set.of("ACTIVATION_RECORDER");
        }

        @Override
        public void observe(AuditEvent event, ServiceScope scope, FindingSink sink) {}

        @Override
        public Reevaluation reevaluate(Anomaly anomaly, long nowMillis) {
          throw new UnsupportedOperationException();
        }

        @Override
        public void onVersionActivated(TenantScope tenant, String policyModule,
            String policyFunction, String versionId, long atMillis) {
          calls.add(new String[] {tenant.tenant(), policyModule, policyFunction, versionId});
        }
      };
    }
  }
}
