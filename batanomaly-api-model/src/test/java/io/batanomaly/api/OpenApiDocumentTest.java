package io.batanomaly.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Holds the shipped OpenAPI document to the records: every documented field exists in the JSON a
 * record produces, and every field a record produces is documented.
 */
class OpenApiDocumentTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static JsonNode doc;

  @BeforeAll
  static void load() throws Exception {
    try (InputStream in = TriageService.class.getResourceAsStream("openapi.json")) {
      assertThat(in).as("io/batanomaly/api/openapi.json on the class path").isNotNull();
      doc = MAPPER.readTree(in);
    }
  }

  private static Set<String> documented(String schema) {
    JsonNode properties = doc.at("/components/schemas/" + schema + "/properties");
    assertThat(properties.isObject()).as("schema %s has properties", schema).isTrue();
    Set<String> names = new TreeSet<>();
    properties.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static Set<String> written(Object record) {
    Set<String> names = new TreeSet<>();
    MAPPER.valueToTree(record).fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void detailSchemaMatchesTheAnomalyRecord() {
    assertThat(documented("Anomaly")).isEqualTo(written(Samples.anomaly()));
  }

  @Test
  void listItemSchemaMatchesTheSummaryRecord() {
    assertThat(documented("AnomalySummary")).isEqualTo(written(Samples.anomaly().toSummary()));
  }

  @Test
  void pageSchemaMatchesThePageRecord() {
    assertThat(documented("AnomalyPage"))
        .isEqualTo(written(AnomalyPage.of(List.of(Samples.anomaly().toSummary()), 0, 20)));
  }

  @Test
  void historySchemaMatchesTheHistoryRecord() {
    assertThat(documented("HistoryEntry")).isEqualTo(written(Samples.anomaly().history().get(1)));
  }

  @Test
  void requestAndErrorSchemasMatchTheirRecords() {
    assertThat(documented("StatusUpdateRequest"))
        .isEqualTo(written(new StatusUpdateRequest(AnomalyStatus.RESOLVED, "rolled back")));
    assertThat(documented("ErrorBody")).isEqualTo(written(new ErrorBody(409, "Conflict", "x")));
  }

  @Test
  void enumSchemasListEveryConstant() {
    assertThat(enumValues("AnomalyStatus")).containsExactly("OPEN", "VERIFYING", "RESOLVED",
        "DISMISSED");
    assertThat(enumValues("Severity")).containsExactly("LOW", "MEDIUM", "HIGH", "CRITICAL");
    assertThat(enumValues("Origin")).containsExactly("DETECTOR", "USER", "VERIFICATION");
  }

  private static List<String> enumValues(String schema) {
    List<String> values = new ArrayList<>();
    doc.at("/components/schemas/" + schema + "/enum").forEach(v -> values.add(v.asText()));
    return values;
  }

  @Test
  void documentsTheFourEndpointsUnderBothBasePathsWithTheSpecDefaults() {
    for (String base : List.of("/api/v1/audit/anomalies", "/v1/audit/anomalies")) {
      JsonNode paths = doc.get("paths");
      assertThat(paths.at("/" + escape(base) + "/get").isObject()).as(base).isTrue();
      assertThat(paths.at("/" + escape(base + "/{id}") + "/get").isObject()).isTrue();
      assertThat(paths.at("/" + escape(base + "/{id}/actions/verify") + "/post/responses/202")
          .isObject()).isTrue();
      assertThat(paths.at("/" + escape(base + "/{id}/status") + "/patch/responses/200")
          .isObject()).isTrue();
      Map<String, Integer> defaults = new java.util.HashMap<>();
      paths.at("/" + escape(base) + "/get/parameters").forEach(p -> {
        if (p.has("schema") && p.get("schema").has("default")) {
          defaults.put(p.get("name").asText(), p.get("schema").get("default").asInt());
        }
      });
      assertThat(defaults).containsExactlyInAnyOrderEntriesOf(
          Map.of("page", AnomalyQuery.DEFAULT_PAGE, "size", AnomalyQuery.DEFAULT_SIZE, "days",
              AnomalyQuery.DEFAULT_DAYS));
    }
  }

  @Test
  void everyReferenceResolves() {
    List<String> refs = new ArrayList<>();
    collectRefs(doc, refs);
    assertThat(refs).isNotEmpty();
    for (String ref : refs) {
      assertThat(ref).startsWith("#/");
      assertThat(doc.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
    }
  }

  private static void collectRefs(JsonNode node, List<String> refs) {
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> {
        if (e.getKey().equals("$ref")) {
          refs.add(e.getValue().asText());
        } else {
          collectRefs(e.getValue(), refs);
        }
      });
    } else if (node.isArray()) {
      node.forEach(n -> collectRefs(n, refs));
    }
  }

  private static String escape(String path) {
    return path.replace("~", "~0").replace("/", "~1");
  }
}
