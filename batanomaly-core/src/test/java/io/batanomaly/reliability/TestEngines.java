package io.batanomaly.reliability;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.AnomalyListener;
import io.batanomaly.AuditEvent;
import io.batanomaly.testkit.ManualClock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executor;

/** Engines for the reliability tests: a manual clock, no own scheduler, the recording detector. */
final class TestEngines {
  static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  private TestEngines() {}

  static AnomalyEngine engine(ManualClock clock, AnomalyConfig config, Executor verification,
      List<AnomalyListener> listeners) {
    AnomalyEngine.Builder b = AnomalyEngine.builder()
        .config(config)
        .clock(clock)
        .autoTick(false)
        .discoverDetectors(false)
        .detector(RecordingDetector.provider())
        .verificationExecutor(verification);
    listeners.forEach(b::listener);
    return b.build();
  }

  static AnomalyEngine engine(ManualClock clock) {
    return engine(clock, AnomalyConfig.defaults(), Runnable::run, List.of());
  }

  static RecordingDetector recorder(AnomalyEngine engine) {
    return (RecordingDetector) engine.detector(RecordingDetector.NAME);
  }

  static AuditEvent event(String tenant, String service, Instant at) {
    return AuditEvent.builder().tenant(tenant).service(service).timestamp(at).method("GET")
        .status(200).identifier("alice").build();
  }

  /** An event that makes the recording detector report a finding for its service. */
  static AuditEvent trigger(String tenant, String service, Instant at) {
    return AuditEvent.builder().tenant(tenant).service(service).timestamp(at).method("POST")
        .status(200).identifier(RecordingDetector.TRIGGER).build();
  }
}
