package io.batanomaly.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.AuditEvent;
import org.junit.jupiter.api.Test;

class RequestLogTest {

  @Test
  void parsesEveryLineBackIntoTheEventsFieldsAndShiftsEachPassBySpan() {
    EventStream stream = EventStream.generate("t", 3, 7);
    RequestLog log = RequestLog.of(stream);
    for (int pass = 0; pass < 2; pass++) {
      for (int b = 0; b < 3; b++) {
        RequestLog.Line[] lines = log.next();
        assertThat(log.offset()).isEqualTo(pass * stream.spanMillis());
        AuditEvent[] events = stream.batch(b);
        for (int i = 0; i < lines.length; i++) {
          RequestLog.Line l = lines[i];
          AuditEvent e = events[i];
          assertThat(l.tenant()).isEqualTo(e.tenant());
          assertThat(l.service()).isEqualTo(e.service());
          assertThat(l.epochMillis()).isEqualTo(e.epochMillis());
          assertThat(l.method()).isEqualTo(e.method());
          assertThat(l.status()).isEqualTo(e.status());
          assertThat(l.identifier()).isEqualTo(e.identifier());
        }
      }
    }
  }

  @Test
  void sharesOneStringPerServiceButCutsAFreshIdentifierPerLine() {
    RequestLog log = RequestLog.of(EventStream.generate("t", 1, 7));
    RequestLog.Line[] lines = log.next();
    for (int i = 0; i < lines.length; i++) {
      for (int j = i + 1; j < lines.length; j++) {
        if (lines[i].service().equals(lines[j].service())) {
          assertThat(lines[i].service()).isSameAs(lines[j].service());
        }
        if (lines[i].identifier().equals(lines[j].identifier())) {
          assertThat(lines[i].identifier()).isNotSameAs(lines[j].identifier());
        }
      }
    }
  }
}
