package io.batanomaly.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.api.AnomalyQuery;
import io.batanomaly.api.AnomalySummary;
import io.batanomaly.jdbc.JdbcStore;
import io.batanomaly.testkit.ManualClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.sqlite.SQLiteDataSource;

/** The JDBC store over the application's DataSource: a real SQLite file. */
class JdbcStoreAutoConfigurationTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  @TempDir
  Path dir;

  private ApplicationContextRunner runner(Path file) {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(BatanomalyAutoConfiguration.class))
        .withBean(DataSource.class, () -> {
          SQLiteDataSource ds = new SQLiteDataSource();
          ds.setUrl("jdbc:sqlite:" + file);
          return ds;
        })
        .withBean(AnomalyEngineCustomizer.class,
            () -> b -> b.clock(new ManualClock(T0)).autoTick(false))
        .withPropertyValues("batanomaly.brute-force.threshold=3");
  }

  private static void failedLogins(AnomalyEngine engine) {
    List<AuditEvent> batch = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      batch.add(AuditEvent.builder().tenant("acme-corp").service("auth")
          .timestamp(T0.minusSeconds(10 - i)).method("POST").status(401)
          .identifier("10.0.0.7").build());
    }
    engine.ingest(batch);
  }

  @Test
  void keepsAnomaliesInTheApplicationsDatabaseAcrossARestart() {
    Path file = dir.resolve("anomalies.db");
    List<String> ids = new ArrayList<>();
    runner(file).run(context -> {
      assertThat(context).hasSingleBean(JdbcStore.class);
      AnomalyEngine engine = context.getBean(AnomalyEngine.class);
      assertThat(engine.storeDescription()).contains("sqlite");
      failedLogins(engine);
      ids.add(engine.anomalies().list("acme-corp", AnomalyQuery.defaults()).content().get(0)
          .id());
      Health health = context.getBean(BatanomalyHealthIndicator.class).health(true);
      assertThat(health.getStatus()).isEqualTo(Status.UP);
      assertThat(health.getDetails()).containsEntry("storeAvailable", true)
          .containsEntry("findingsBuffered", 0);
      assertThat((String) health.getDetails().get("store")).contains("sqlite");
    });
    runner(file).run(context -> {
      List<AnomalySummary> found = context.getBean(AnomalyEngine.class).anomalies()
          .list("acme-corp", AnomalyQuery.defaults()).content();
      assertThat(found).extracting(AnomalySummary::id).containsExactly(ids.get(0));
      assertThat(found.get(0).type()).isEqualTo("BRUTE_FORCE");
    });
  }

  @Test
  void aDatabaseNamedInThePropertiesIsTheEnginesOwnAndTheDataSourceIsLeftAlone() {
    Path own = dir.resolve("own.db");
    runner(dir.resolve("app.db")).withPropertyValues("batanomaly.jdbc.url=jdbc:sqlite:" + own)
        .run(context -> {
          assertThat(context).doesNotHaveBean(JdbcStore.class);
          AnomalyEngine engine = context.getBean(AnomalyEngine.class);
          assertThat(engine.storeDescription()).contains(own.toString());
          failedLogins(engine);
          assertThat(engine.anomalies().list("acme-corp", AnomalyQuery.defaults()).content())
              .hasSize(1);
        });
  }

  @Test
  void withoutADataSourceTheStoreStaysInMemory() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(BatanomalyAutoConfiguration.class))
        .run(context -> {
          assertThat(context).doesNotHaveBean(JdbcStore.class);
          assertThat(context.getBean(AnomalyEngine.class).storeDescription())
              .doesNotContain("sqlite");
        });
  }
}
