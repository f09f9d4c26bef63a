package io.batanomaly.examples.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.IngestResult;
import io.batanomaly.api.AnomalyPage;
import io.batanomaly.api.AnomalyQuery;
import io.batanomaly.api.AnomalySummary;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The README's code sample, line for line, so it keeps compiling and running. */
class ReadmeCodeSampleTest {
  private static final Logger log = LoggerFactory.getLogger(ReadmeCodeSampleTest.class);

  @Test
  void theReadmeCodeSampleCompilesAndRuns() {
    // --- README "Code sample" starts here
    AnomalyEngine engine = AnomalyEngine.builder()
        .config(AnomalyConfig.fromEnvironment())          // ANOMALY_* variables, documented defaults
        .listener(n -> log.warn("{}", n.anomaly().summary()))
        .build();                                          // detectors found with ServiceLoader

    IngestResult r = engine.ingest(List.of(
        AuditEvent.builder().tenant("acme-corp").service("billing")
            .timestamp(Instant.now()).method("DELETE").status(204).identifier("10.0.0.7")
            .build()));
    r.rejected().forEach(x -> log.info("event {} rejected: {}", x.index(), x.message()));

    AnomalyPage<AnomalySummary> page = engine.anomalies().list("acme-corp", AnomalyQuery.defaults());
    engine.close();
    // --- README "Code sample" ends here

    assertThat(r.accepted()).isEqualTo(1);
    assertThat(r.rejected()).isEmpty();
    assertThat(page.content()).isEmpty();
  }
}
