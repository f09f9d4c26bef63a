package io.batanomaly.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.AnomalySettings;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyQuery;
import io.batanomaly.api.AnomalyStatus;
import io.batanomaly.api.AnomalySummary;
import io.batanomaly.api.HistoryEntry;
import io.batanomaly.api.StatusUpdateRequest;
import io.batanomaly.testkit.ManualClock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A separate JVM ({@link CrashWorker}) runs traffic and triage on the store and is killed with
 * SIGKILL in the middle of it. A new engine on the same store then finds everything the dead
 * process acknowledged (anomalies, status changes and their Idempotency-Key outcomes, and the
 * occurrence counts a tick had written), one active anomaly per key, and, once the verification
 * timeout has passed, nothing in VERIFYING.
 */
class CrashTest {

  @TempDir
  Path dir;

  @Test
  @Timeout(240)
  void nothingAcknowledgedIsLostAndNothingStaysVerifyingAfterSigkill() throws Exception {
    crashAndRecover("jdbc:sqlite:" + dir.resolve("crash.db"));
  }

  @Test
  @Timeout(240)
  void onPostgresqlToo() throws Exception {
    TestPostgres pg = TestPostgres.get();
    crashAndRecover(pg.url(pg.newSchema()));
  }

  private void crashAndRecover(String url) throws Exception {
    Path log = dir.resolve("acknowledged-" + Math.abs(url.hashCode()) + ".log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process worker = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        CrashWorker.class.getName(), url, log.toString(), "150")
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null && !line.equals("ready")) {
        // the worker's own output before it is ready
      }
      assertThat(line).as("the worker got ready").isEqualTo("ready");
      worker.destroyForcibly(); // SIGKILL: no shutdown hook, no close()
      assertThat(worker.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(worker.exitValue()).isEqualTo(137);

    List<String[]> acks = new ArrayList<>();
    for (String l : Files.readAllLines(log)) {
      if (!l.isBlank()) {
        acks.add(l.split(" "));
      }
    }
    assertThat(acks).hasSizeGreaterThanOrEqualTo(150);

    ManualClock clock = new ManualClock(Instant.now().plus(
        AnomalySettings.VERIFY_TIMEOUT.defaultValue()).plusSeconds(1));
    AnomalyConfig config = AnomalyConfig.fromMap(Map.of("ANOMALY_JDBC_URL", url));
    try (AnomalyEngine engine = AnomalyEngine.builder().config(config).clock(clock)
        .discoverDetectors(false).autoTick(false).build()) {
      List<Anomaly> all = new ArrayList<>();
      int page = 0;
      List<AnomalySummary> content;
      do {
        content = engine.anomalies().list("acme",
            new AnomalyQuery(null, AnomalyQuery.MAX_DAYS, page++, AnomalyQuery.MAX_SIZE)).content();
        content.forEach(s -> all.add(engine.anomalies().get("acme", s.id())));
      } while (!content.isEmpty());
      Map<String, Anomaly> byId = all.stream()
          .collect(Collectors.toMap(Anomaly::id, a -> a));

      assertThat(all).noneMatch(a -> a.status() == AnomalyStatus.VERIFYING);
      Map<String, Long> activePerKey = all.stream().filter(a -> a.status().isActive())
          .collect(Collectors.groupingBy(Anomaly::subject, Collectors.counting()));
      assertThat(activePerKey.values()).allMatch(n -> n == 1);

      // occurrence counts are written on ticks: those a tick followed are acknowledged
      Map<String, Long> occurrences = new HashMap<>();
      Map<String, Long> sinceTick = new HashMap<>();
      int statuses = 0;
      for (String[] ack : acks) {
        if (ack[0].equals("ticked")) {
          sinceTick.forEach((id, n) -> occurrences.merge(id, n, Math::max));
          sinceTick.clear();
          continue;
        }
        Anomaly stored = byId.get(ack[1]);
        assertThat(stored).as("acknowledged anomaly %s", ack[1]).isNotNull();
        switch (ack[0]) {
          case "updated" -> sinceTick.merge(ack[1], Long.parseLong(ack[2]), Math::max);
          case "verifying" -> assertThat(stored.history()).extracting(HistoryEntry::to)
              .contains(AnomalyStatus.VERIFYING);
          case "status" -> {
            statuses++;
            int size = Integer.parseInt(ack[3]);
            assertThat(stored.history()).hasSizeGreaterThanOrEqualTo(size);
            assertThat(stored.history().get(size - 1).to())
                .isEqualTo(AnomalyStatus.valueOf(ack[2]));
            Anomaly replay = engine.anomalies().updateStatus("acme", ack[1],
                new StatusUpdateRequest(AnomalyStatus.valueOf(ack[2]),
                    "fixed " + ack[4].substring("key-".length())), ack[4]);
            assertThat(replay.history()).hasSize(size);
          }
          default -> { }
        }
      }
      occurrences.forEach((id, n) ->
          assertThat(byId.get(id).occurrences()).as("occurrences of %s", id)
              .isGreaterThanOrEqualTo(n));
      assertThat(statuses).as("status changes acknowledged").isPositive();
      assertThat(occurrences).as("occurrence counts acknowledged by a tick").isNotEmpty();
      assertThat(all.stream().filter(a -> a.history().stream()
          .anyMatch(h -> h.note() != null && h.note().startsWith("verification abandoned"))))
          .as("verifications the dead process left were repaired").isNotEmpty();
    }
  }
}
