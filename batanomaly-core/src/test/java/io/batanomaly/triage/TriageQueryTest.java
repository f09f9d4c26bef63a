package io.batanomaly.triage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batanomaly.api.AnomalyPage;
import io.batanomaly.api.AnomalyQuery;
import io.batanomaly.api.AnomalySummary;
import io.batanomaly.api.InvalidRequestException;
import io.batanomaly.testkit.ScriptedDetector;
import io.batanomaly.testkit.TriageFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Listing a tenant's anomalies: paging, day range, order and type filter. */
class TriageQueryTest {

  private final TriageFixture f = TriageFixture.builder().build();

  @AfterEach
  void close() {
    f.close();
  }

  /** Opens {@code n} anomalies one minute apart; returns their ids, oldest first. */
  private List<String> openMany(String tenant, int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(f.open(tenant, "svc-" + i).id());
      f.clock().advance(Duration.ofMinutes(1));
    }
    return ids;
  }

  @Test
  void listsNewestFirstWithTheDocumentedDefaults() {
    List<String> ids = openMany("acme", 3);
    AnomalyPage<AnomalySummary> page = f.triage().list("acme", AnomalyQuery.defaults());
    assertThat(page.content()).extracting(AnomalySummary::id)
        .containsExactly(ids.get(2), ids.get(1), ids.get(0));
    assertThat(page.totalElements()).isEqualTo(3);
    assertThat(page.totalPages()).isEqualTo(1);
    assertThat(page.page()).isZero();
    assertThat(page.size()).isEqualTo(20);
    AnomalySummary first = page.content().get(0);
    assertThat(first.type()).isEqualTo(ScriptedDetector.TYPE);
    assertThat(first.subject()).isEqualTo("svc-2");
    assertThat(first.summary()).isEqualTo("VOLUME_SPIKE on svc-2");
  }

  @Test
  void pagesThroughEveryAnomalyExactlyOnceAndCountsPages() {
    List<String> ids = openMany("acme", 45);
    List<String> seen = new ArrayList<>();
    for (int p = 0; p < 3; p++) {
      AnomalyPage<AnomalySummary> page = f.triage().list("acme",
          AnomalyQuery.defaults().withPage(p, 20));
      assertThat(page.totalElements()).isEqualTo(45);
      assertThat(page.totalPages()).isEqualTo(3);
      assertThat(page.page()).isEqualTo(p);
      page.content().forEach(s -> seen.add(s.id()));
    }
    List<String> newestFirst = new ArrayList<>(ids);
    java.util.Collections.reverse(newestFirst);
    assertThat(seen).containsExactlyElementsOf(newestFirst);
  }

  @Test
  void aPagePastTheEndIsEmptyButStillCounts() {
    openMany("acme", 5);
    AnomalyPage<AnomalySummary> past = f.triage().list("acme",
        AnomalyQuery.defaults().withPage(1, 5));
    assertThat(past.content()).isEmpty();
    assertThat(past.totalElements()).isEqualTo(5);
    assertThat(past.totalPages()).isEqualTo(1);
    assertThat(past.page()).isEqualTo(1);
    assertThat(f.triage().list("acme", AnomalyQuery.defaults().withPage(1_000_000, 200))
        .content()).isEmpty();
  }

  @Test
  void aTenantWithoutAnomaliesGetsAnEmptyFirstPage() {
    AnomalyPage<AnomalySummary> page = f.triage().list("nobody", AnomalyQuery.defaults());
    assertThat(page.content()).isEmpty();
    assertThat(page.totalElements()).isZero();
    assertThat(page.totalPages()).isZero();
  }

  @Test
  void theLargestPageSizeReturnsThatManyAndALargerOneIsRefused() {
    openMany("acme", AnomalyQuery.MAX_SIZE + 1);
    AnomalyPage<AnomalySummary> page = f.triage().list("acme",
        AnomalyQuery.defaults().withDays(1).withPage(0, AnomalyQuery.MAX_SIZE));
    assertThat(page.content()).hasSize(AnomalyQuery.MAX_SIZE);
    assertThat(page.totalPages()).isEqualTo(2);
    assertThatThrownBy(() -> AnomalyQuery.defaults().withPage(0, AnomalyQuery.MAX_SIZE + 1))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void theDayRangeCountsBackFromTheEngineClockAndIncludesItsFirstInstant() {
    String old = f.open("acme", "old").id();
    f.clock().advance(Duration.ofDays(3));
    String recent = f.open("acme", "recent").id();
    f.clock().advance(Duration.ofDays(4)); // "old" is now exactly 7 days old

    assertThat(f.triage().list("acme", AnomalyQuery.defaults()).content())
        .extracting(AnomalySummary::id).containsExactly(recent, old);
    f.clock().advance(Duration.ofMillis(1));
    assertThat(f.triage().list("acme", AnomalyQuery.defaults()).content())
        .extracting(AnomalySummary::id).containsExactly(recent);
    // "recent" is now 4 days and 1 ms old
    assertThat(f.triage().list("acme", AnomalyQuery.defaults().withDays(5)).content())
        .extracting(AnomalySummary::id).containsExactly(recent);
    assertThat(f.triage().list("acme", AnomalyQuery.defaults().withDays(4)).content())
        .isEmpty();
    assertThat(f.triage().list("acme", AnomalyQuery.defaults().withDays(14)).totalElements())
        .isEqualTo(2);
  }

  @Test
  void anUnknownTypeIsAnInvalidRequestNamingTheTypesTheRunningDetectorsReport() {
    // Regression: a typo in the type filter answered an empty page, which reads as "no
    // anomalies"; a third-party detector's type is known once it is registered.
    try (TriageFixture g = TriageFixture.builder()
        .detector(ScriptedDetector.reporting("scripted", "VOLUME_SPIKE", "NOT_FOUND_SCAN"))
        .build()) {
      g.report(ScriptedDetector.finding("acme", "NOT_FOUND_SCAN", "10.0.0.7").build());
      for (String typo : List.of("BOGUS", "HIGH_FAILUR_RATE", "volume spike")) {
        assertThatThrownBy(() -> g.triage().list("acme", AnomalyQuery.defaults().withType(typo)))
            .isInstanceOf(InvalidRequestException.class)
            .hasMessageContaining("'" + typo + "'")
            .hasMessageContaining("NOT_FOUND_SCAN, VOLUME_SPIKE");
      }
      assertThat(g.triage().list("acme", AnomalyQuery.defaults().withType("not_found_scan"))
          .content()).extracting(AnomalySummary::type).containsExactly("NOT_FOUND_SCAN");
      assertThat(g.triage().list("acme", AnomalyQuery.defaults().withType("VOLUME_SPIKE"))
          .totalElements()).isZero();
    }
  }

  @Test
  void filtersByTypeAcceptingTheLowerCaseNamesOfTheAuditDocument() {
    f.close();
    TriageFixture f = TriageFixture.builder().detector(ScriptedDetector.reporting("scripted",
        "VOLUME_SPIKE", "MASS_DELETE", "ZOMBIE_VERSION")).build();
    f.open("acme", "billing");
    f.report(ScriptedDetector.finding("acme", "MASS_DELETE", "billing").build());
    for (String type : List.of("VOLUME_SPIKE", "volume_spike", " Volume_Spike ")) {
      assertThat(f.triage().list("acme", AnomalyQuery.defaults().withType(type)).content())
          .extracting(AnomalySummary::type).containsExactly("VOLUME_SPIKE");
    }
    assertThat(f.triage().list("acme", AnomalyQuery.defaults().withType("mass_delete"))
        .content()).extracting(AnomalySummary::type).containsExactly("MASS_DELETE");
    assertThat(f.triage().list("acme", AnomalyQuery.defaults().withType("ZOMBIE_VERSION"))
        .totalElements()).isZero();
    assertThat(f.triage().list("acme", AnomalyQuery.defaults()).totalElements()).isEqualTo(2);
    f.close();
  }

  @Test
  void aBlankTenantIsAnInvalidRequest() {
    for (String tenant : new String[] {null, "", "  "}) {
      assertThatThrownBy(() -> f.triage().list(tenant, AnomalyQuery.defaults()))
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("X-Tenant-ID");
      assertThatThrownBy(() -> f.triage().find(tenant, "anom-1"))
          .isInstanceOf(InvalidRequestException.class);
      assertThatThrownBy(() -> f.triage().verify(tenant, "anom-1"))
          .isInstanceOf(InvalidRequestException.class);
      assertThatThrownBy(() -> f.triage().updateStatus(tenant, "anom-1",
          new io.batanomaly.api.StatusUpdateRequest(io.batanomaly.api.AnomalyStatus.RESOLVED,
              null), null))
          .isInstanceOf(InvalidRequestException.class);
    }
  }
}
