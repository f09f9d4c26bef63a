package io.batanomaly.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.AuditEvent;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventStreamTest {

  private static final int BATCHES = 200;

  @Test
  void sameSeedGivesTheSameStream() {
    EventStream a = EventStream.generate("t", 3, 7);
    EventStream b = EventStream.generate("t", 3, 7);
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < EventStream.BATCH; j++) {
        assertThat(a.batch(i)[j]).isEqualTo(b.batch(i)[j]);
      }
    }
  }

  @Test
  void hasTheDocumentedSharesOfStatusesMethodsAndLateEvents() {
    EventStream s = EventStream.generate("t", BATCHES, 42);
    long n = (long) BATCHES * EventStream.BATCH;
    long unauthorized = 0;
    long deletes = 0;
    long outOfOrder = 0;
    long maxLag = 0;
    long newest = Long.MIN_VALUE;
    Set<String> services = new HashSet<>();
    Set<String> identifiers = new HashSet<>();
    for (int b = 0; b < BATCHES; b++) {
      for (AuditEvent e : s.batch(b)) {
        unauthorized += e.status() == 401 ? 1 : 0;
        deletes += e.isDelete() ? 1 : 0;
        if (e.epochMillis() < newest) {
          outOfOrder++;
          maxLag = Math.max(maxLag, newest - e.epochMillis());
        }
        newest = Math.max(newest, e.epochMillis());
        services.add(e.service());
        identifiers.add(e.identifier());
      }
    }
    assertThat((double) unauthorized / n).isBetween(0.009, 0.011);
    assertThat(deletes).isBetween(n / 10_000, n * 3 / 10_000);
    assertThat((double) outOfOrder / n).isBetween(0.015, 0.025);
    assertThat(maxLag).isLessThanOrEqualTo(2_000);
    assertThat(services).hasSize(EventStream.SERVICES);
    assertThat(identifiers.size()).isGreaterThan(50_000);
    assertThat(s.spanMillis()).isEqualTo(n * 1000 / EventStream.EVENTS_PER_SECOND);
  }

  @Test
  void busiestServiceSendsAboutASixthOfTheTraffic() {
    EventStream s = EventStream.generate("t", 50, 1);
    String top = EventStream.serviceNames()[0];
    long count = 0;
    for (int b = 0; b < 50; b++) {
      for (AuditEvent e : s.batch(b)) {
        count += e.service().equals(top) ? 1 : 0;
      }
    }
    assertThat((double) count / (50 * EventStream.BATCH)).isBetween(0.15, 0.19);
  }
}
