package io.batanomaly.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TriageRecordsTest {

  private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  @Test
  void queryDefaultsAreThoseOfTheDocumentation() {
    AnomalyQuery q = AnomalyQuery.defaults();
    assertThat(q.type()).isNull();
    assertThat(q.days()).isEqualTo(7);
    assertThat(q.page()).isZero();
    assertThat(q.size()).isEqualTo(20);
  }

  @Test
  void queryAcceptsTheLargestSizeAndRejectsOneMoreNamingTheValue() {
    assertThat(AnomalyQuery.defaults().withPage(0, AnomalyQuery.MAX_SIZE).size()).isEqualTo(200);
    assertThatThrownBy(() -> AnomalyQuery.defaults().withPage(0, AnomalyQuery.MAX_SIZE + 1))
        .isInstanceOfSatisfying(InvalidRequestException.class,
            e -> assertThat(e.httpStatus()).isEqualTo(400))
        .hasMessage("size must be between 1 and 200, but was 201");
    assertThatThrownBy(() -> AnomalyQuery.defaults().withPage(0, 0))
        .hasMessage("size must be between 1 and 200, but was 0");
    assertThatThrownBy(() -> AnomalyQuery.defaults().withPage(-1, 20))
        .hasMessage("page must be 0 or more, but was -1");
    assertThatThrownBy(() -> AnomalyQuery.defaults().withDays(0))
        .hasMessage("days must be between 1 and 3660, but was 0");
  }

  @Test
  void blankTypeMeansEveryType() {
    assertThat(AnomalyQuery.defaults().withType("  ").type()).isNull();
  }

  @Test
  void pageCountsPagesAndReturnsAnEmptyPagePastTheEnd() {
    List<Integer> items = new ArrayList<>();
    for (int i = 0; i < 45; i++) {
      items.add(i);
    }
    AnomalyPage<Integer> first = AnomalyPage.of(items, 0, 20);
    assertThat(first.content()).hasSize(20).startsWith(0);
    assertThat(first.totalElements()).isEqualTo(45);
    assertThat(first.totalPages()).isEqualTo(3);
    assertThat(AnomalyPage.of(items, 2, 20).content()).containsExactly(40, 41, 42, 43, 44);
    AnomalyPage<Integer> past = AnomalyPage.of(items, 3, 20);
    assertThat(past.content()).isEmpty();
    assertThat(past.totalElements()).isEqualTo(45);
    assertThat(past.totalPages()).isEqualTo(3);
    assertThat(past.page()).isEqualTo(3);
    assertThat(AnomalyPage.of(items, Integer.MAX_VALUE, 200).content()).isEmpty();
    AnomalyPage<Integer> none = AnomalyPage.of(List.of(), 0, 20);
    assertThat(none.totalPages()).isZero();
    assertThat(none.content()).isEmpty();
    assertThat(AnomalyPage.of(items.subList(0, 40), 0, 20).totalPages()).isEqualTo(2);
  }

  @Test
  void statusUpdateRejectsVerifyingAMissingStatusAndAnOverlongNote() {
    assertThatThrownBy(() -> new StatusUpdateRequest(null, "x"))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("status is required");
    assertThatThrownBy(() -> new StatusUpdateRequest(AnomalyStatus.VERIFYING, null))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("'VERIFYING'");
    String tooLong = "n".repeat(StatusUpdateRequest.MAX_NOTE_LENGTH + 1);
    assertThatThrownBy(() -> new StatusUpdateRequest(AnomalyStatus.RESOLVED, tooLong))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("note must be at most 4096 characters, but was 4097");
    assertThat(new StatusUpdateRequest(AnomalyStatus.RESOLVED, "n".repeat(4096)).note())
        .hasSize(4096);
  }

  @Test
  void everyTriageErrorMapsToItsHttpStatus() {
    assertThat(new InvalidRequestException("x").httpStatus()).isEqualTo(400);
    assertThat(new AnomalyNotFoundException("anom-1").httpStatus()).isEqualTo(404);
    assertThat(new AnomalyNotFoundException("anom-1").getMessage()).contains("'anom-1'");
    assertThat(new IllegalTransitionException("a", AnomalyStatus.OPEN, AnomalyStatus.OPEN)
        .httpStatus()).isEqualTo(409);
    assertThat(new IdempotencyKeyReusedException("k").httpStatus()).isEqualTo(422);
    assertThat(new IdempotencyKeyInFlightException("k").httpStatus()).isEqualTo(409);
  }

  @Test
  void anomalyRendersTheDocumentedFieldNamesAndLeavesOutWhatDoesNotApply() throws Exception {
    Instant t = Instant.parse("2024-01-15T10:30:00Z");
    Anomaly a = new Anomaly("anom-xyz789", "acme-corp", "HIGH_FAILURE_RATE", "checkout/v3",
        null, null, "checkout", "evaluate", "v3", t, null, 1, AnomalyStatus.OPEN,
        Severity.HIGH, "v3 fails 34% of evaluations", Map.of("failureRate", 0.34),
        List.of("Roll back"), List.of(new HistoryEntry(null, AnomalyStatus.OPEN, t, null,
            Origin.DETECTOR, null)));
    JsonNode json = JSON.valueToTree(a);
    assertThat(json.get("id").asText()).isEqualTo("anom-xyz789");
    assertThat(json.get("detectedAt").asText()).isEqualTo("2024-01-15T10:30:00Z");
    assertThat(json.get("status").asText()).isEqualTo("OPEN");
    assertThat(json.get("metrics").get("failureRate").asDouble()).isEqualTo(0.34);
    assertThat(json.has("service")).isFalse();
    assertThat(json.get("history").get(0).has("from")).isFalse();
    assertThat(json.get("lastSeenAt").asText()).isEqualTo("2024-01-15T10:30:00Z");
    List<String> names = new ArrayList<>();
    JSON.valueToTree(a.toSummary()).fieldNames().forEachRemaining(names::add);
    assertThat(names).startsWith("id", "type", "policyModule", "policyFunction", "versionId",
        "detectedAt", "status", "severity", "summary");
  }

  @Test
  void aPageRendersContentTotalsPageAndSize() throws Exception {
    List<String> names = new ArrayList<>();
    JSON.valueToTree(AnomalyPage.of(List.of("a"), 0, 20)).fieldNames()
        .forEachRemaining(names::add);
    assertThat(names).containsExactly("content", "totalElements", "totalPages", "page", "size");
  }
}
