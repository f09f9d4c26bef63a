package io.batanomaly.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.IngestResult;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ReplayCursorTest {

  @Test
  void secondPassOfTheStreamContinuesOneSpanLater() {
    EventStream s = EventStream.generate("t", 4, 3);
    long first = s.batch(0)[0].epochMillis();
    ReplayCursor c = new ReplayCursor(s);
    for (int i = 0; i < 4; i++) {
      c.next();
    }
    assertThat(c.peekMaxTime()).isEqualTo(s.batch(0)[EventStream.BATCH - 1].epochMillis());
    List<AuditEvent> again = c.next();
    assertThat(again.get(0).epochMillis()).isEqualTo(first + s.spanMillis());
  }

  @Test
  @Timeout(60)
  void engineAcceptsEveryEventOverSeveralPassesOfTheStream() {
    ReplayClock clock = new ReplayClock();
    EventStream s = EventStream.generate("t", 20, 5);
    ReplayCursor c = new ReplayCursor(s);
    try (AnomalyEngine engine = Engines.build("none", clock)) {
      long accepted = 0;
      for (int i = 0; i < 3 * 20; i++) {
        clock.advanceTo(c.peekMaxTime());
        IngestResult r = engine.ingest(c.next());
        assertThat(r.rejected()).isEmpty();
        accepted += r.accepted();
      }
      assertThat(accepted).isEqualTo(3L * 20 * EventStream.BATCH);
    }
  }
}
