package io.batanomaly.detectors.errorrate;

import static io.batanomaly.detectors.EngineDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.AuditEvent;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyStatus;
import io.batanomaly.api.Severity;
import io.batanomaly.detectors.Anomalies;
import io.batanomaly.detectors.EngineDriver;
import io.batanomaly.detectors.Traffic;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorRateDetectorTest {

  private static List<Anomaly> found(EngineDriver d, String tenant) {
    return Anomalies.of(d.engine, tenant, "ERROR_RATE");
  }

  /** {@code n} requests 500 ms apart from {@code start}, the last {@code errors} failing. */
  private static List<AuditEvent> requests(String tenant, String service, long start, int n,
      int errors) {
    List<AuditEvent> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Traffic.request(tenant, service, start + i * 500L, "GET", i >= n - errors ? 502 : 200,
          "c"));
    }
    return out;
  }

  /** A request in a later bucket, which closes the bucket before it and so has it judged. */
  private static AuditEvent closer(String tenant, String service, long at) {
    return Traffic.request(tenant, service, at, "GET", 200, "c");
  }

  @Test
  void firesAboveTheThresholdAndNotAtIt() {
    try (EngineDriver at = new EngineDriver(new ErrorRateProvider());
        EngineDriver above = new EngineDriver(new ErrorRateProvider())) {
      // 100 requests in 50 s; judged when the request at 60 s closes the 55-60 s bucket
      at.sendEach(requests("acme", "checkout", T0, 100, 20));
      at.send(T0 + 60_000, closer("acme", "checkout", T0 + 60_000));
      assertThat(found(at, "acme")).as("exactly 20%% does not exceed 20%%").isEmpty();

      above.sendEach(requests("acme", "checkout", T0, 100, 21));
      above.send(T0 + 60_000, closer("acme", "checkout", T0 + 60_000));
      List<Anomaly> found = found(above, "acme");
      assertThat(found).hasSize(1);
      Anomaly a = found.get(0);
      assertThat(a.subject()).isEqualTo("checkout");
      assertThat(a.metrics()).containsEntry("errorCount", 21L).containsEntry("eventCount", 100L)
          .containsEntry("windowStart", Instant.ofEpochMilli(T0 + 60_000 - 300_000))
          .containsEntry("windowEnd", Instant.ofEpochMilli(T0 + 60_000));
      assertThat(a.metrics().get("errorRatePercent").toString()).isEqualTo("21");
      assertThat(a.severity()).isEqualTo(Severity.LOW);
      assertThat(a.summary()).startsWith("21.0% of the requests to service 'checkout' failed");
    }
  }

  @Test
  void needsTheMinimumSampleBeforeJudging() {
    try (EngineDriver few = new EngineDriver(new ErrorRateProvider());
        EngineDriver enough = new EngineDriver(new ErrorRateProvider())) {
      few.sendEach(requests("acme", "checkout", T0, 49, 49));
      few.send(T0 + 60_000, closer("acme", "checkout", T0 + 60_000));
      assertThat(found(few, "acme")).isEmpty();

      enough.sendEach(requests("acme", "checkout", T0, 50, 50));
      enough.send(T0 + 60_000, closer("acme", "checkout", T0 + 60_000));
      assertThat(found(enough, "acme")).hasSize(1);
      assertThat(found(enough, "acme").get(0).severity()).isEqualTo(Severity.CRITICAL);
    }
  }

  /** {@code n} events without an HTTP status (policy evaluations) 500 ms apart. */
  private static List<AuditEvent> evaluations(String tenant, String service, long start, int n) {
    List<AuditEvent> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(AuditEvent.builder().tenant(tenant).service(service).epochMillis(start + i * 500L)
          .eventType("policy.evaluation").policyModule("payments").policyFunction("authorize")
          .versionId("v1").build());
    }
    return out;
  }

  @Test
  void judgesOnlyEventsWithAnHttpStatus() {
    // Regression: events without a status (policy evaluations) counted in the denominator and
    // towards the minimum, diluting the error rate of a service that also answers requests.
    try (EngineDriver diluted = new EngineDriver(new ErrorRateProvider());
        EngineDriver padded = new EngineDriver(new ErrorRateProvider())) {
      // 60 responses, 18 failing (30%), among 200 evaluations: the rate is 30%, not 7%
      List<AuditEvent> mixed = new ArrayList<>(requests("acme", "checkout", T0, 60, 18));
      mixed.addAll(evaluations("acme", "checkout", T0, 200));
      mixed.sort(java.util.Comparator.comparingLong(AuditEvent::epochMillis));
      diluted.sendEach(mixed);
      diluted.send(T0 + 120_000, closer("acme", "checkout", T0 + 120_000));
      List<Anomaly> found = found(diluted, "acme");
      assertThat(found).hasSize(1);
      assertThat(found.get(0).metrics()).containsEntry("errorCount", 18L)
          .containsEntry("eventCount", 60L);

      // 40 failing responses among 100 evaluations: too few responses to judge
      List<AuditEvent> few = new ArrayList<>(requests("acme", "checkout", T0, 40, 40));
      few.addAll(evaluations("acme", "checkout", T0, 100));
      few.sort(java.util.Comparator.comparingLong(AuditEvent::epochMillis));
      padded.sendEach(few);
      padded.send(T0 + 120_000, closer("acme", "checkout", T0 + 120_000));
      padded.tickAt(T0 + 200_000);
      assertThat(found(padded, "acme")).isEmpty();
    }
  }

  @Test
  void judgesTheBucketsOfABacklogThatArrivesAfterAPause() {
    // Regression: ticks during a pause claimed the buckets up to the estimated event time, so
    // the buckets a backlog filled afterwards were never judged as they closed.
    try (EngineDriver d = new EngineDriver(new ErrorRateProvider())) {
      d.sendEach(requests("acme", "checkout", T0, 100, 0));
      for (long t = T0 + 60_000; t <= T0 + 400_000; t += 10_000) {
        d.tickAt(t);
      }
      // the producer delivers what it held back: two minutes of errors, then steady success
      List<AuditEvent> backlog = new ArrayList<>();
      for (long t = T0 + 50_000; t < T0 + 170_000; t += 1_000) {
        backlog.add(Traffic.request("acme", "checkout", t, "GET", 503, "c"));
      }
      for (long t = T0 + 170_000; t < T0 + 400_000; t += 250) {
        backlog.add(Traffic.request("acme", "checkout", t, "GET", 200, "c"));
      }
      d.send(T0 + 400_000, backlog);
      List<Anomaly> found = found(d, "acme");
      assertThat(found).hasSize(1);
      assertThat(Anomalies.number(found.get(0), "errorRatePercent")).isGreaterThan(20);
    }
  }

  @Test
  void judgesTheWholeBucketsOfTheLastWindow() {
    // 5 s buckets: errors in the bucket starting at T0 are inside the window judged when the
    // bucket at T0 + 300 s opens (it covers T0 to T0 + 300 s), and outside the next one
    try (EngineDriver inside = new EngineDriver(new ErrorRateProvider());
        EngineDriver outside = new EngineDriver(new ErrorRateProvider())) {
      List<AuditEvent> burst = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        burst.add(Traffic.request("acme", "checkout", T0 + i * 80L, "GET", 500, "c"));
      }
      inside.send(T0 + 4_999, burst);
      inside.send(T0 + 300_000, closer("acme", "checkout", T0 + 300_000));
      assertThat(found(inside, "acme")).hasSize(1);

      outside.send(T0 + 4_999, burst);
      outside.send(T0 + 305_000, closer("acme", "checkout", T0 + 305_000));
      assertThat(found(outside, "acme")).isEmpty();
    }
  }

  @Test
  void countsOutOfOrderEventsInsideTheLateness() {
    try (EngineDriver d = new EngineDriver(new ErrorRateProvider())) {
      List<AuditEvent> events = requests("acme", "checkout", T0, 100, 0);
      // errors from 3 s to 7 s arrive at 13 s, after their buckets were judged, but within the
      // 10 s lateness
      List<AuditEvent> late = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        late.add(Traffic.request("acme", "checkout", T0 + 3_000 + i * 100L, "GET", 503, "c"));
      }
      d.sendEach(events.subList(0, 26));
      d.send(T0 + 13_000, late);
      d.sendEach(events.subList(26, 100));
      d.send(T0 + 60_000, closer("acme", "checkout", T0 + 60_000));
      List<Anomaly> found = found(d, "acme");
      assertThat(found).hasSize(1);
      assertThat(found.get(0).metrics()).containsEntry("errorCount", 40L)
          .containsEntry("eventCount", 140L);
    }
  }

  @Test
  void judgesFromATickWhenTheTrafficStopsAfterTheErrors() {
    try (EngineDriver d = new EngineDriver(new ErrorRateProvider())) {
      // 45 good requests in 45 s, then 20 failing ones in the bucket from 45 s, then nothing:
      // no later bucket ever opens to have that bucket judged
      List<AuditEvent> events = new ArrayList<>();
      for (int i = 0; i < 45; i++) {
        events.add(Traffic.request("acme", "checkout", T0 + i * 1_000L, "GET", 200, "c"));
      }
      for (int i = 0; i < 20; i++) {
        events.add(Traffic.request("acme", "checkout", T0 + 45_000 + i * 100L, "GET", 500, "c"));
      }
      d.sendEach(events);
      d.tickAt(T0 + 55_000);
      assertThat(found(d, "acme")).as("the last bucket is still inside the lateness").isEmpty();
      d.tickAt(T0 + 60_000);
      List<Anomaly> found = found(d, "acme");
      assertThat(found).hasSize(1);
      assertThat(found.get(0).metrics()).containsEntry("errorCount", 20L)
          .containsEntry("eventCount", 65L);
    }
  }

  @Test
  void keepsTheCountsOfTwoTenantsApart() {
    try (EngineDriver d = new EngineDriver(new ErrorRateProvider())) {
      // 30 failing requests in each tenant: 60 together would pass the minimum sample
      List<AuditEvent> events = new ArrayList<>(requests("acme", "checkout", T0, 30, 30));
      events.addAll(requests("globex", "checkout", T0, 30, 30));
      events.sort((a, b) -> Long.compare(a.epochMillis(), b.epochMillis()));
      d.sendEach(events);
      d.send(T0 + 60_000, closer("acme", "checkout", T0 + 60_000),
          closer("globex", "checkout", T0 + 60_000));
      assertThat(found(d, "acme")).isEmpty();
      assertThat(found(d, "globex")).isEmpty();
    }
  }

  @Test
  void verificationResolvesOnceTheRateIsBackWithinTheRule() {
    try (EngineDriver d = new EngineDriver(new ErrorRateProvider())) {
      d.sendEach(requests("acme", "checkout", T0, 100, 60));
      d.send(T0 + 60_000, closer("acme", "checkout", T0 + 60_000));
      Anomaly a = found(d, "acme").get(0);
      assertThat(Anomalies.verify(d.engine, a).status())
          .isEqualTo(AnomalyStatus.OPEN);
      // five minutes of healthy traffic later, the window holds only successes
      d.sendEach(requests("acme", "checkout", T0 + 61_000, 700, 0));
      assertThat(Anomalies.verify(d.engine, a).status())
          .isEqualTo(AnomalyStatus.RESOLVED);
    }
  }
}
