package io.batanomaly.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RecordJsonTest {

  static List<ObjectMapper> mappers() {
    return List.of(
        new ObjectMapper(),
        new ObjectMapper().registerModule(new JavaTimeModule()),
        new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS),
        new ObjectMapper().findAndRegisterModules()
            .enable(SerializationFeature.WRITE_ENUMS_USING_INDEX)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));
  }

  private static final ObjectMapper READER = new ObjectMapper();

  @ParameterizedTest
  @MethodSource("mappers")
  void anyMapperWritesTheDetailExactlyAsDocumented(ObjectMapper mapper) throws Exception {
    JsonNode json = READER.readTree(mapper.writeValueAsBytes(Samples.anomaly()));

    assertThat(fieldNames(json)).startsWith("id", "type", "policyModule", "policyFunction",
        "versionId", "detectedAt", "status", "severity", "summary", "metrics",
        "recommendedActions");
    assertThat(json.get("id").isTextual()).isTrue();
    assertThat(json.get("id").asText()).isEqualTo("anom-xyz789");
    assertThat(json.get("detectedAt").asText()).isEqualTo("2024-01-15T10:30:00Z");
    assertThat(json.get("lastSeenAt").asText()).isEqualTo("2024-01-15T10:30:30Z");
    assertThat(json.get("status").asText()).isEqualTo("VERIFYING");
    assertThat(json.get("severity").asText()).isEqualTo("HIGH");
    JsonNode metrics = json.get("metrics");
    assertThat(fieldNames(metrics)).containsExactly("failureRate", "baselineFailureRate",
        "sampleSize", "windowStart", "windowEnd");
    assertThat(metrics.get("failureRate").asDouble()).isEqualTo(0.34);
    assertThat(metrics.get("sampleSize").asInt()).isEqualTo(1200);
    assertThat(metrics.get("windowStart").asText()).isEqualTo("2024-01-15T09:00:00Z");
    assertThat(metrics.get("windowEnd").asText()).isEqualTo("2024-01-15T10:30:00Z");
    JsonNode verifying = json.get("history").get(1);
    assertThat(verifying.get("at").asText()).isEqualTo("2024-01-15T10:31:00Z");
    assertThat(verifying.get("origin").asText()).isEqualTo("VERIFICATION");
    assertThat(verifying.get("metrics").get("at").asText()).isEqualTo("2024-01-15T10:31:00Z");
  }

  @ParameterizedTest
  @MethodSource("mappers")
  void anyMapperWritesTheListPageExactlyAsDocumented(ObjectMapper mapper) throws Exception {
    AnomalyPage<AnomalySummary> page =
        AnomalyPage.of(List.of(Samples.anomaly().toSummary()), 0, 20);
    JsonNode json = READER.readTree(mapper.writeValueAsBytes(page));

    assertThat(fieldNames(json))
        .containsExactly("content", "totalElements", "totalPages", "page", "size");
    assertThat(json.get("totalElements").asLong()).isEqualTo(1);
    assertThat(json.get("totalPages").asInt()).isEqualTo(1);
    assertThat(json.get("size").asInt()).isEqualTo(20);
    JsonNode item = json.get("content").get(0);
    assertThat(fieldNames(item)).startsWith("id", "type", "policyModule", "policyFunction",
        "versionId", "detectedAt", "status", "severity", "summary");
    assertThat(item.get("detectedAt").asText()).isEqualTo("2024-01-15T10:30:00Z");
  }

  @ParameterizedTest
  @MethodSource("mappers")
  void theDocumentedPolicyFieldsAreWrittenAsNullForAnAuditAnomaly(ObjectMapper mapper)
      throws Exception {
    // Regression: list items and details left out policyModule, policyFunction and versionId
    // for audit anomalies; the documented schema lists them on every item.
    Anomaly bruteForce = new Anomaly("anom-1", "acme-corp", "BRUTE_FORCE", "10.0.0.7", "login",
        "10.0.0.7", null, null, null, Samples.DETECTED, null, 1, AnomalyStatus.OPEN,
        Severity.MEDIUM, "10 failed logins", Map.of(), List.of(), List.of());
    mapper = mapper.copy().setSerializationInclusion(
        com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL);
    // the names are explicit, so even a snake-case mapper keeps them as documented
    List<String> names = List.of("policyModule", "policyFunction", "versionId");
    JsonNode detail = READER.readTree(mapper.writeValueAsBytes(bruteForce));
    JsonNode item = READER.readTree(mapper.writeValueAsBytes(bruteForce.toSummary()));
    for (JsonNode json : List.of(detail, item)) {
      for (String name : names) {
        assertThat(json.has(name)).as(name).isTrue();
        assertThat(json.get(name).isNull()).as(name).isTrue();
      }
    }
  }

  @Test
  void fieldsThatDoNotApplyAreLeftOut() throws Exception {
    Anomaly bruteForce = new Anomaly("anom-1", "acme-corp", "BRUTE_FORCE", "10.0.0.7", "login",
        "10.0.0.7", null, null, null, Samples.DETECTED, null, 1, AnomalyStatus.OPEN,
        Severity.MEDIUM, "10 failed logins", Map.of(), List.of(), List.of());
    JsonNode json = READER.readTree(new ObjectMapper().writeValueAsBytes(bruteForce));

    assertThat(json.has("service")).isTrue();
    assertThat(json.get("metrics").isObject()).isTrue();
    assertThat(json.get("metrics").isEmpty()).isTrue();
    assertThat(json.get("recommendedActions").isArray()).isTrue();
    assertThat(json.get("recommendedActions").isEmpty()).isTrue();
  }

  @Test
  void javaAccessorsKeepFullPrecision() {
    assertThat(Samples.anomaly().detectedAt()).isEqualTo(Samples.DETECTED);
    assertThat(Samples.anomaly().metrics().get("windowStart"))
        .isEqualTo(java.time.Instant.parse("2024-01-15T09:00:00Z"));
  }

  static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
