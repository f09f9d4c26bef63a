package io.batanomaly.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyStatus;
import io.batanomaly.api.HistoryEntry;
import io.batanomaly.api.Origin;
import io.batanomaly.api.Severity;
import io.batanomaly.spi.SuppressionStore.Suppression;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Expiry runs on one instance at a time: the instance that takes the lease keeps the job while
 * it ticks; another instance's ticks change nothing until the holder has been silent for the
 * lease, then it takes over. On PostgreSQL and on SQLite.
 */
class ExpiryLeaseTest {

  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  private static Anomaly closed(String id, Instant at) {
    return new Anomaly(id, "acme", "VOLUME_SPIKE", id, id, null, null, null, null, at, at, 1,
        AnomalyStatus.RESOLVED, Severity.LOW, "s", Map.of(), List.of(), List.of(
            new HistoryEntry(null, AnomalyStatus.OPEN, at, null, Origin.DETECTOR, Map.of()),
            new HistoryEntry(AnomalyStatus.OPEN, AnomalyStatus.RESOLVED, at, null, Origin.USER,
                Map.of())));
  }

  private static void onlyOneInstanceExpiresAtATime(DataSource a, DataSource b) {
    JdbcStore first = JdbcStore.builder(a).instanceId("first").retention(Duration.ofDays(1))
        .expiryLease(Duration.ofMinutes(5)).build();
    JdbcStore second = JdbcStore.builder(b).instanceId("second").retention(Duration.ofDays(1))
        .expiryLease(Duration.ofMinutes(5)).build();
    first.repository().insert(closed("old-1", T0));
    Instant later = T0.plus(Duration.ofDays(2));
    first.repository().expire(later);
    assertThat(second.repository().find("acme", "old-1")).as("the first took the lease").isEmpty();

    second.repository().insert(closed("old-2", T0));
    second.suppressions().save(new Suppression("acme", "T", "s", T0, null));
    second.repository().expire(later.plusSeconds(10));
    second.suppressions().expire(later.plusSeconds(10));
    assertThat(first.repository().find("acme", "old-2")).as("the second may not").isPresent();
    first.suppressions().expire(later.plusSeconds(20)); // the first holds every expiry job
    first.repository().expire(later.plusSeconds(20));
    assertThat(second.repository().find("acme", "old-2")).isEmpty();
    assertThat(second.suppressions().find("acme", "T", "s")).isEmpty();

    second.repository().insert(closed("old-3", T0));
    // the first stops ticking; once its lease has run out the second takes over
    second.repository().expire(later.plusSeconds(20).plus(Duration.ofMinutes(4)));
    assertThat(first.repository().find("acme", "old-3")).isPresent();
    second.repository().expire(later.plusSeconds(20).plus(Duration.ofMinutes(5)));
    assertThat(first.repository().find("acme", "old-3")).isEmpty();
  }

  @Test
  void onPostgresql() {
    TestPostgres pg = TestPostgres.get();
    String schema = pg.newSchema();
    onlyOneInstanceExpiresAtATime(pg.dataSource(schema), pg.dataSource(schema));
  }

  @Test
  void onSqlite() {
    String url = SqliteFiles.newUrl();
    onlyOneInstanceExpiresAtATime(SqliteFiles.dataSource(url), SqliteFiles.dataSource(url));
  }
}
