package io.batanomaly.detectors.flood;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyQuery;
import io.batanomaly.api.AnomalySummary;
import io.batanomaly.detectors.bruteforce.BruteForceProvider;
import io.batanomaly.testkit.ManualClock;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Plays a flood of one-time identifiers, each failing authentication once (401), with a real
 * attacker failing at given offsets in the middle of it, against an engine running the brute-force detector on a manual clock. Events are made
 * batch by batch, so the flood itself holds no memory; the clock follows event time and the
 * engine ticks every ten seconds of it.
 */
final class IdentifierFlood {
  static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  static final String TENANT = "acme";
  static final String ATTACKER = "203.0.113.66";

  private final long identifiers;
  private final long identifiersPerSecond;
  private final long[] attackerOffsets;
  private final AnomalyConfig config;

  /** What one run measured. */
  record Result(long accepted, long maxHeapAfterGc, Map<String, Long> stats,
      List<Anomaly> bruteForce, long millis) {}

  /**
   * Describes a flood.
   *
   * @param identifiers how many one-time identifiers fail
   * @param identifiersPerSecond how many of them per second of event time
   * @param attackerOffsets when the attacker fails, in milliseconds from its first failure,
   *     ascending from 0; the attack is centred in the flood
   * @param config the engine configuration
   */
  IdentifierFlood(long identifiers, long identifiersPerSecond, long[] attackerOffsets,
      AnomalyConfig config) {
    this.identifiers = identifiers;
    this.identifiersPerSecond = identifiersPerSecond;
    this.attackerOffsets = attackerOffsets.clone();
    this.config = config;
  }

  /**
   * Returns {@code n} offsets {@code step} apart, from 0.
   *
   * @param n how many
   * @param stepMillis the distance between two
   * @return the offsets
   */
  static long[] every(int n, long stepMillis) {
    long[] offsets = new long[n];
    for (int i = 0; i < n; i++) {
      offsets[i] = i * stepMillis;
    }
    return offsets;
  }

  /**
   * Runs the flood.
   *
   * @param heapSamples how many times during the run to collect garbage and read the heap
   * @return the measurements
   */
  Result run(int heapSamples) {
    long started = System.nanoTime();
    ManualClock clock = new ManualClock(T0);
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long maxHeap = 0;
    long accepted = 0;
    try (AnomalyEngine engine = AnomalyEngine.builder()
        .config(config)
        .clock(clock)
        .autoTick(false)
        .discoverDetectors(false)
        .detector(new BruteForceProvider())
        .verificationExecutor(Runnable::run)
        .build()) {
      long t0 = T0.toEpochMilli();
      long floodMillis = identifiers * 1000 / identifiersPerSecond;
      // the attack is centred in the flood
      long attackStart = t0 + floodMillis / 2
          - attackerOffsets[attackerOffsets.length - 1] / 2;
      int attackerSent = 0;
      long nextTick = t0;
      long sampleEvery = Math.max(1, identifiers / Math.max(1, heapSamples));
      List<AuditEvent> batch = new ArrayList<>(1024);
      for (long i = 0; i < identifiers; i++) {
        long at = t0 + i * 1000 / identifiersPerSecond;
        while (attackerSent < attackerOffsets.length
            && attackStart + attackerOffsets[attackerSent] <= at) {
          batch.add(unauthorized(attackStart + attackerOffsets[attackerSent], ATTACKER));
          attackerSent++;
        }
        batch.add(unauthorized(at, "u" + i));
        if (batch.size() >= 1000 || i == identifiers - 1) {
          clock.advanceTo(Instant.ofEpochMilli(at));
          accepted += engine.ingest(batch).accepted();
          batch.clear();
          while (nextTick <= at) {
            engine.tick();
            nextTick += 10_000;
          }
        }
        if (heapSamples > 0 && i % sampleEvery == sampleEvery - 1) {
          System.gc();
          maxHeap = Math.max(maxHeap, memory.getHeapMemoryUsage().getUsed());
        }
      }
      Map<String, Long> stats = engine.health().detectors().get(BruteForceProvider.NAME);
      List<Anomaly> found = new ArrayList<>();
      for (AnomalySummary s : engine.anomalies()
          .list(TENANT, new AnomalyQuery("BRUTE_FORCE", 7, 0, 200)).content()) {
        found.add(engine.anomalies().get(TENANT, s.id()));
      }
      return new Result(accepted, maxHeap, stats, found,
          (System.nanoTime() - started) / 1_000_000);
    }
  }

  private static AuditEvent unauthorized(long at, String identifier) {
    return AuditEvent.builder().tenant(TENANT).service("login").epochMillis(at).method("POST")
        .status(401).identifier(identifier).build();
  }
}
