package io.batanomaly.detectors.massdelete;

import static io.batanomaly.detectors.EngineDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.AuditEvent;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.Severity;
import io.batanomaly.detectors.Anomalies;
import io.batanomaly.detectors.EngineDriver;
import io.batanomaly.detectors.Traffic;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class MassDeleteDetectorTest {

  private static List<Anomaly> found(EngineDriver d, String tenant) {
    return Anomalies.of(d.engine, tenant, "MASS_DELETE");
  }

  private static List<AuditEvent> deletes(String tenant, String service, long start, long gap,
      int n) {
    List<AuditEvent> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Traffic.delete(tenant, service, start + i * gap));
    }
    return out;
  }

  @Test
  void firesAtTheFiftiethDeleteAndNotAtTheFortyNinth() {
    try (EngineDriver d = new EngineDriver(new MassDeleteProvider())) {
      List<AuditEvent> fifty = deletes("acme", "documents", T0, 2_000, 50);
      d.sendEach(fifty.subList(0, 49));
      assertThat(found(d, "acme")).isEmpty();
      d.sendEach(fifty.subList(49, 50));
      List<Anomaly> found = found(d, "acme");
      assertThat(found).hasSize(1);
      Anomaly a = found.get(0);
      assertThat(a.subject()).isEqualTo("documents");
      assertThat(a.service()).isEqualTo("documents");
      assertThat(a.metrics()).containsEntry("deleteCount", 50L)
          .containsEntry("threshold", 50)
          .containsEntry("windowSeconds", 300L)
          .containsEntry("firstDeleteAt", Instant.ofEpochMilli(T0))
          .containsEntry("lastDeleteAt", Instant.ofEpochMilli(T0 + 98_000));
      // 50 deletes in 98 s where the rule allows 300 s: 3.06 times the threshold rate
      assertThat(a.severity()).isEqualTo(Severity.HIGH);
      assertThat(a.summary()).contains("'documents'").contains("50 DELETE requests");
    }
  }

  @Test
  void countsDeletesExactlyTheWindowApartButNotOneMillisecondMore() {
    try (EngineDriver d = new EngineDriver(new MassDeleteProvider())) {
      List<AuditEvent> events = deletes("acme", "inside", T0, 6_000, 49);
      events.add(Traffic.delete("acme", "inside", T0 + 300_000));
      events.addAll(deletes("acme", "outside", T0, 6_000, 49));
      events.add(Traffic.delete("acme", "outside", T0 + 300_001));
      events.sort((a, b) -> Long.compare(a.epochMillis(), b.epochMillis()));
      d.sendEach(events);
      assertThat(found(d, "acme")).extracting(Anomaly::subject).containsExactly("inside");
    }
  }

  @Test
  void countsOutOfOrderDeletesInsideTheLateness() {
    try (EngineDriver d = new EngineDriver(new MassDeleteProvider())) {
      List<AuditEvent> events = deletes("acme", "documents", T0, 150, 50);
      Collections.shuffle(events, new java.util.Random(4));
      d.send(T0 + 8_000, events);
      assertThat(found(d, "acme")).hasSize(1);
    }
  }

  @Test
  void countsEachServiceOnItsOwn() {
    try (EngineDriver d = new EngineDriver(new MassDeleteProvider())) {
      List<AuditEvent> events = deletes("acme", "documents", T0, 1_000, 30);
      events.addAll(deletes("acme", "users", T0 + 500, 1_000, 30));
      events.sort((a, b) -> Long.compare(a.epochMillis(), b.epochMillis()));
      d.sendEach(events);
      assertThat(found(d, "acme")).isEmpty();
    }
  }

  @Test
  void keepsTheCountsOfTwoTenantsApart() {
    try (EngineDriver d = new EngineDriver(new MassDeleteProvider())) {
      for (int i = 0; i < 49; i++) {
        long t = T0 + i * 1000L;
        d.send(t, Traffic.delete("acme", "documents", t), Traffic.delete("globex", "documents",
            t));
      }
      d.send(T0 + 49_000, Traffic.delete("acme", "documents", T0 + 49_000));
      assertThat(found(d, "acme")).hasSize(1);
      assertThat(found(d, "globex")).isEmpty();
    }
  }

  @Test
  void ignoresOtherMethods() {
    try (EngineDriver d = new EngineDriver(new MassDeleteProvider())) {
      for (int i = 0; i < 100; i++) {
        long t = T0 + i * 1000L;
        d.send(t, Traffic.request("acme", "documents", t, "PUT", 200, "admin"),
            Traffic.request("acme", "documents", t, "POST", 201, "admin"));
      }
      assertThat(found(d, "acme")).isEmpty();
      // inside the same window only DELETEs count: the 49th is below the rule, the 50th fires
      List<AuditEvent> fifty = deletes("acme", "documents", T0 + 100_000, 1_000, 50);
      d.sendEach(fifty.subList(0, 49));
      assertThat(found(d, "acme")).isEmpty();
      d.sendEach(fifty.subList(49, 50));
      assertThat(found(d, "acme")).singleElement()
          .satisfies(a -> assertThat(a.metrics()).containsEntry("deleteCount", 50L));
    }
  }
}
