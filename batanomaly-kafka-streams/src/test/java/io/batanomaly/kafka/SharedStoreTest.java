package io.batanomaly.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.AuditEvent;
import io.batanomaly.api.AnomalyQuery;
import io.batanomaly.api.AnomalyStatus;
import io.batanomaly.api.AnomalySummary;
import io.batanomaly.api.StatusUpdateRequest;
import io.batanomaly.jdbc.JdbcStore;
import io.batanomaly.testkit.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Two application instances, each with its own store object over one SQLite file, as two hosts
 * over one database: what one finds the other lists and triages, and a suppression one leaves
 * holds for the other's engines.
 */
class SharedStoreTest {
  private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");

  private static DataSource sqlite(Path file) {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setBusyTimeout(10_000);
    SQLiteDataSource ds = new SQLiteDataSource(config);
    ds.setUrl("jdbc:sqlite:" + file);
    return ds;
  }

  private static void failures(TestInputTopic<byte[], AuditEvent> in, Instant from) {
    for (int i = 0; i < 10; i++) {
      Instant at = from.plusSeconds(i);
      in.pipeInput(null, AuditEvent.builder().tenant("initech").service("auth").timestamp(at)
          .method("POST").status(401).identifier("203.0.113.77").build(), at);
    }
  }

  @Test
  void whatOneInstanceFindsTheOtherTriagesAndItsSuppressionHoldsForBoth() throws Exception {
    Path file = Files.createTempDirectory("batanomaly-shared").resolve("anomalies.db");
    ManualClock clock = new ManualClock(T0.plusSeconds(30));
    try (JdbcStore storeA = JdbcStore.builder(sqlite(file)).build();
        JdbcStore storeB = JdbcStore.builder(sqlite(file)).build();
        AnomalyTopology a = AnomalyTopology.builder().sourceTopic("audit-events")
            .notificationTopic("anomalies").clock(clock).store(storeA).build();
        AnomalyTopology b = AnomalyTopology.builder().sourceTopic("audit-events")
            .notificationTopic("anomalies").clock(clock).store(storeB).build();
        TopologyTestDriver driverA = new TopologyTestDriver(a.topology(),
            TopologyEquivalenceTest.props(), T0);
        TopologyTestDriver driverB = new TopologyTestDriver(b.topology(),
            TopologyEquivalenceTest.props(), T0)) {
      failures(driverA.createInputTopic("audit-events", new ByteArraySerializer(),
          new AuditEventSerde().serializer()), T0);

      List<AnomalySummary> seenByB = b.anomalies().list("initech", AnomalyQuery.defaults())
          .content();
      assertThat(seenByB).singleElement()
          .satisfies(s -> assertThat(s.type()).isEqualTo("BRUTE_FORCE"));
      String id = seenByB.get(0).id();
      clock.advance(Duration.ofSeconds(30));
      b.anomalies().updateStatus("initech", id,
          new StatusUpdateRequest(AnomalyStatus.RESOLVED, "blocked at the firewall"), null);
      assertThat(a.anomalies().get("initech", id).status()).isEqualTo(AnomalyStatus.RESOLVED);

      // the same attack reaches instance b's engine within the cooldown: the suppression the
      // resolution left in the shared store keeps it from opening another anomaly
      clock.advance(Duration.ofSeconds(30));
      failures(driverB.createInputTopic("audit-events", new ByteArraySerializer(),
          new AuditEventSerde().serializer()), T0.plusSeconds(90));
      assertThat(storeA.repository().list("initech", "BRUTE_FORCE", Instant.EPOCH))
          .singleElement().satisfies(x -> assertThat(x.status()).isEqualTo(AnomalyStatus.RESOLVED));
    }
  }
}
