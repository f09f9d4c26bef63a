package io.batanomaly.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyQuery;
import io.batanomaly.api.AnomalyStatus;
import io.batanomaly.api.AnomalySummary;
import io.batanomaly.api.StatusUpdateRequest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example server keeps triage in its SQLite file: a restart over the populated store serves
 * the same anomalies with what was triaged, never a duplicate, with or without the demo feed.
 */
class ServerStorageTest {

  @TempDir
  Path dir;

  private static List<Anomaly> stored(DemoServer.Running server) {
    List<Anomaly> all = new ArrayList<>();
    for (String tenant : DemoServer.TENANTS) {
      for (AnomalySummary s : server.engine.anomalies().list(tenant,
          new AnomalyQuery(null, AnomalyQuery.MAX_DAYS, 0, AnomalyQuery.MAX_SIZE)).content()) {
        all.add(server.engine.anomalies().get(tenant, s.id()));
      }
    }
    return all;
  }

  private DemoServer.Running start(boolean feed, String store, StringBuilder log)
      throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DemoServer.Running r = DemoServer.start(0, feed, store, Map.of(),
        new PrintStream(out, true, StandardCharsets.UTF_8));
    log.append(out.toString(StandardCharsets.UTF_8));
    return r;
  }

  @Test
  @Timeout(300)
  void aRestartKeepsTriageAndNeverDuplicatesAnomalies() throws Exception {
    String file = dir.resolve("server.db").toString();
    List<Anomaly> first;
    Anomaly dismissed;
    StringBuilder log = new StringBuilder();
    try (DemoServer.Running server = start(true, file, log)) {
      assertThat(log).contains("Anomaly store: jdbc:sqlite:").contains("Replayed");
      first = stored(server);
      assertThat(first).isNotEmpty();
      Anomaly open = first.stream().filter(a -> a.status() == AnomalyStatus.OPEN).findFirst()
          .orElseThrow();
      dismissed = server.engine.anomalies().updateStatus(open.tenant(), open.id(),
          new StatusUpdateRequest(AnomalyStatus.DISMISSED, "known"), "dismiss-1");
    }
    for (boolean feed : new boolean[] {true, false}) {
      StringBuilder again = new StringBuilder();
      try (DemoServer.Running server = start(feed, file, again)) {
        assertThat(again).doesNotContain("Replayed").contains("serving what is stored");
        List<Anomaly> now = stored(server);
        assertThat(now).extracting(Anomaly::id)
            .containsExactlyInAnyOrderElementsOf(first.stream().map(Anomaly::id).toList());
        assertThat(server.engine.anomalies().get(dismissed.tenant(), dismissed.id()))
            .isEqualTo(dismissed);
        assertThat(server.engine.anomalies().updateStatus(dismissed.tenant(), dismissed.id(),
            new StatusUpdateRequest(AnomalyStatus.DISMISSED, "known"), "dismiss-1"))
            .as("the Idempotency-Key outcome survived").isEqualTo(dismissed);
      }
    }
  }

  @Test
  @Timeout(60)
  void anomalyJdbcUrlChoosesTheStore() throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("chosen.db");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DemoServer.Running server = DemoServer.start(0, false, dir.resolve("unused.db")
        .toString(), Map.of("ANOMALY_JDBC_URL", url), new PrintStream(out, true,
        StandardCharsets.UTF_8))) {
      assertThat(server.engine.storeDescription()).isEqualTo(url);
    }
    assertThat(dir.resolve("chosen.db")).exists();
    assertThat(dir.resolve("unused.db")).doesNotExist();
  }

  @Test
  @Timeout(60)
  void withoutTheFeedAnEmptyStoreServesNothing() throws Exception {
    StringBuilder log = new StringBuilder();
    try (DemoServer.Running server = start(false, dir.resolve("empty.db").toString(), log)) {
      assertThat(log).contains("nothing to serve yet");
      assertThat(stored(server)).isEmpty();
    }
  }
}
