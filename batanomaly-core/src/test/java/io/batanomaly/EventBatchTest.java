package io.batanomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.batanomaly.CountingDetectorProvider.CountingDetector;
import io.batanomaly.testkit.ManualClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventBatchTest {
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private static final long T = T0.toEpochMilli();

  private final ManualClock clock = new ManualClock(T0);
  private final List<AnomalyEngine> engines = new ArrayList<>();

  @AfterEach
  void close() {
    engines.forEach(AnomalyEngine::close);
  }

  private AnomalyEngine engine() {
    AnomalyEngine e = AnomalyEngine.builder().clock(clock).discoverDetectors(false)
        .autoTick(false).detector(new CountingDetectorProvider()).build();
    engines.add(e);
    return e;
  }

  @Test
  void holdsEachRowAsTheEventTheBuilderMakesFromTheSameFields() {
    EventBatch batch = new EventBatch(4);
    batch.add("acme", "billing", T, " delete ", 204, "10.0.0.7");
    batch.add().tenant("acme").service("policies").epochMillis(T + 1).eventType("policy.run")
        .policyModule("pricing").policyFunction("quote").versionId("v7")
        .outcome(Outcome.FAILURE).executionTimeMillis(4.2);
    batch.add().tenant("acme").service("policies").executionTimeNanos(-5);

    assertThat(batch.size()).isEqualTo(3);
    assertThat(batch.event(0)).isEqualTo(AuditEvent.builder().tenant("acme").service("billing")
        .epochMillis(T).method("DELETE").status(204).identifier("10.0.0.7").build());
    assertThat(batch.event(0).isDelete()).isTrue();
    assertThat(batch.event(1)).isEqualTo(AuditEvent.builder().tenant("acme").service("policies")
        .epochMillis(T + 1).eventType("policy.run").policyModule("pricing")
        .policyFunction("quote").versionId("v7").outcome(Outcome.FAILURE)
        .executionTimeMillis(4.2).build());
    assertThat(batch.event(2).epochMillis()).isEqualTo(AuditEvent.NO_TIMESTAMP);
    assertThat(batch.event(2).status()).isZero();
    assertThat(batch.event(2).executionTimeNanos()).isEqualTo(-5);
    assertThatThrownBy(() -> batch.event(3)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void growsPastItsInitialCapacityAndStartsEmptyRowsAfterClear() {
    EventBatch batch = new EventBatch(1);
    for (int i = 0; i < 100; i++) {
      batch.add("acme", "svc-" + i, T + i, "GET", 200, "u" + i).eventType(
          AuditEvent.ALERT_EVENT_TYPE);
    }
    assertThat(batch.size()).isEqualTo(100);
    assertThat(batch.event(99).service()).isEqualTo("svc-99");
    assertThat(batch.event(99).isAlert()).isTrue();
    batch.clear();
    assertThat(batch.isEmpty()).isTrue();
    batch.add();
    assertThat(batch.event(0)).isEqualTo(AuditEvent.builder().build());
    assertThat(batch.event(0).isAlert()).isFalse();
  }

  @Test
  void normalisesEachRowsMethodWhetherItsStringIsTheLastRowsOrAnother() {
    EventBatch batch = new EventBatch(8);
    String delete = "delete";
    batch.add("acme", "billing", T, delete, 204, "u1");
    batch.add("acme", "billing", T, delete, 204, "u2");
    batch.add("acme", "billing", T, "GET", 200, "u3");
    batch.add("acme", "billing", T, delete, 204, "u4");
    batch.add("acme", "billing", T, null, 200, "u5");
    batch.add().method(delete).method("get");

    assertThat(List.of(0, 1, 2, 3, 4, 5)).extracting(i -> batch.event(i).method())
        .containsExactly("DELETE", "DELETE", "GET", "DELETE", null, "GET");
    assertThat(List.of(0, 1, 2, 3, 4, 5)).extracting(i -> batch.event(i).isDelete())
        .containsExactly(true, true, false, true, false, false);
    batch.clear();
    batch.add("acme", "billing", T, delete, 204, "u1");
    assertThat(batch.event(0).isDelete()).isTrue();
  }

  @Test
  void aRowAfterClearHasNoneOfThePolicyFieldsOfTheRowThatHeldItsPlaceBefore() {
    EventBatch batch = new EventBatch(4);
    batch.add().tenant("acme").service("policies").epochMillis(T).eventType("policy.run")
        .policyModule("pricing").policyFunction("quote").versionId("v7")
        .outcome(Outcome.FAILURE);
    batch.clear();
    batch.add("acme", "billing", T, "GET", 200, "u1");
    assertThat(batch.event(0)).isEqualTo(AuditEvent.builder().tenant("acme").service("billing")
        .epochMillis(T).method("GET").status(200).identifier("u1").build());
    batch.clear();
    batch.add("acme", "billing", T, "GET", 200, "u1");
    batch.add().tenant("acme").service("policies").epochMillis(T).policyModule("pricing");
    assertThat(batch.event(1).policyModule()).isEqualTo("pricing");
    assertThat(batch.event(0).policyModule()).isNull();
  }

  @Test
  void refusesFieldsBeforeAnEventIsStartedAndABadCapacity() {
    EventBatch batch = new EventBatch(8);
    assertThatThrownBy(() -> batch.tenant("acme")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("call add()");
    batch.add().tenant("acme");
    batch.clear();
    assertThatThrownBy(() -> batch.status(200)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new EventBatch(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("initialCapacity must be at least 1, but was 0");
  }

  @Test
  void rejectsEachBadRowWithItsIndexAndAReasonAndIngestsTheRest() {
    AnomalyEngine engine = engine();
    EventBatch batch = new EventBatch(16);
    batch.add("acme", "billing", T, "GET", 200, "10.0.0.7");
    batch.add(" ", "billing", T, "GET", 200, "10.0.0.7");
    batch.add("acme", "billing", T, "GET", 700, "10.0.0.7");
    batch.add("acme", "billing", T, "GET", 200, "x".repeat(5000));
    batch.add("acme", "billing", T, "GET", 200, "10.0.0.7").executionTimeMillis(Double.NaN);
    batch.add().tenant("acme").service("billing");
    batch.add("acme", "billing", T + 3_600_000, "GET", 200, null);
    batch.add("acme", "auth", T, "post", 401, "alice");
    batch.add("acme", "billing", T, "GET", 200, "bob").versionId("v".repeat(2000));

    IngestResult r = engine.ingest(batch);

    assertThat(r.accepted()).isEqualTo(2);
    assertThat(r.total()).isEqualTo(9);
    assertThat(r.rejected()).extracting(RejectedEvent::index, RejectedEvent::reason)
        .containsExactly(
            tuple(1, RejectReason.MISSING_TENANT),
            tuple(2, RejectReason.INVALID_STATUS),
            tuple(3, RejectReason.FIELD_TOO_LONG),
            tuple(4, RejectReason.INVALID_EXECUTION_TIME),
            tuple(5, RejectReason.MISSING_TIMESTAMP),
            tuple(6, RejectReason.TIMESTAMP_IN_FUTURE),
            tuple(8, RejectReason.FIELD_TOO_LONG));
    assertThat(r.rejected().get(6).message())
        .isEqualTo("string fields must be at most 1024 characters, but versionId had 2000");
    assertThat(r.rejected().get(1).message())
        .isEqualTo("status must be 0 (none) or between 100 and 599, but was 700");
    assertThat(r.rejected().get(2).message())
        .isEqualTo("string fields must be at most 1024 characters, but identifier had 5000");
    assertThat(((CountingDetector) engine.detector("counting")).seen.get()).isEqualTo(2);
  }

  @Test
  void judgesTheLengthOfTheFieldsARowEndsWithNotOfValuesSetOverBefore() {
    AnomalyEngine engine = engine();
    EventBatch batch = new EventBatch(4);
    batch.add("acme", "billing", T, "GET", 200, "x".repeat(5000)).identifier("alice");
    batch.add().tenant("t".repeat(2000)).tenant("acme").service("billing").epochMillis(T)
        .policyModule("m".repeat(1500)).policyModule("pricing");
    batch.add().tenant("acme").service("billing").epochMillis(T).method("GET")
        .eventType("e".repeat(1025));
    batch.add().tenant("acme").service("billing").epochMillis(T).identifier("bob")
        .identifier("i".repeat(1025));

    IngestResult r = engine.ingest(batch);

    assertThat(r.accepted()).isEqualTo(2);
    assertThat(r.rejected()).extracting(RejectedEvent::index, RejectedEvent::reason)
        .containsExactly(tuple(2, RejectReason.FIELD_TOO_LONG),
            tuple(3, RejectReason.FIELD_TOO_LONG));
  }

  @Test
  void givesTheSameResultAsTheSameEventsPassedAsAuditEvents() {
    AnomalyEngine columnar = engine();
    AnomalyEngine objects = engine();
    EventBatch batch = new EventBatch(8);
    List<AuditEvent> events = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      batch.clear();
      events.clear();
      for (int i = 0; i < 12; i++) {
        String service = i % 3 == 0 ? "auth" : "billing";
        long t = T + round * 1_000 + i;
        int status = i == 7 ? 999 : 200;
        batch.add("acme", service, t, "GET", status, "u" + i);
        events.add(AuditEvent.of("acme", service, t, "GET", status, "u" + i));
      }
      IngestResult a = columnar.ingest(batch);
      IngestResult b = objects.ingest(events);
      assertThat(a.accepted()).isEqualTo(b.accepted());
      assertThat(a.rejected()).isEqualTo(b.rejected());
      assertThat(a.opened()).extracting(x -> x.type(), x -> x.subject(), x -> x.severity())
          .isEqualTo(b.opened().stream().map(x -> tuple(x.type(), x.subject(), x.severity()))
              .toList());
      assertThat(a.updated()).extracting(x -> x.subject(), x -> x.occurrences())
          .isEqualTo(b.updated().stream().map(x -> tuple(x.subject(), x.occurrences()))
              .toList());
    }
  }
}
