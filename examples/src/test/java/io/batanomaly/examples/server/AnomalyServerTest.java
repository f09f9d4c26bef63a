package io.batanomaly.examples.server;

import static io.batanomaly.examples.server.ServerFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.batanomaly.examples.demo.DemoScenario;
import io.batanomaly.testkit.CurlCommand;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The example server answering real HTTP requests: the documentation's {@code curl} commands
 * and every status code of its table (409 and 422, which need a history, are produced by
 * {@link TriageLifecycleTest}). The engine has seen the stream up to 09:15 simulated, while
 * acme-corp's payments/authorize v7 is still failing. Only the curl test changes the anomaly.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AnomalyServerTest {
  private static final String LIST = "/api/v1/audit/anomalies";
  private static ServerFixture server;
  private static String id;

  @BeforeAll
  static void start() throws IOException {
    server = new ServerFixture(DemoScenario.START.plus(Duration.ofMinutes(75)));
    id = server.paymentsAnomalyId();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static List<CurlCommand> specCommands() throws IOException {
    try (InputStream in = AnomalyServerTest.class.getResourceAsStream("/spec/curl-examples.txt")) {
      return CurlCommand.parseAll(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void theDocumentedCurlCommandsWorkVerbatim() throws IOException {
    Iterator<CurlCommand> commands = specCommands().iterator();

    // the documentation's incident carries the documentation's example id
    assertThat(id).isEqualTo(DemoServer.SPEC_ANOMALY_ID);

    // List Anomalies
    HttpResponse<String> list =
        server.send(commands.next().toRequest(server.base, "acme-token"));
    assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
    assertThat(list.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode page = json(list);
    assertThat(page.get("page").asInt()).isZero();
    assertThat(page.get("size").asInt()).isEqualTo(20);
    assertThat(page.get("totalElements").asLong()).isEqualTo(page.get("content").size());
    assertThat(page.get("totalPages").asInt()).isEqualTo(1);
    JsonNode item = page.get("content").get(0);
    assertThat(item.get("id").asText()).isEqualTo(id);
    assertThat(item.get("type").asText()).isEqualTo("HIGH_FAILURE_RATE");
    assertThat(item.get("policyModule").asText()).isEqualTo("payments");
    assertThat(item.get("policyFunction").asText()).isEqualTo("authorize");
    assertThat(item.get("versionId").asText()).isEqualTo("v7");
    assertThat(item.get("detectedAt").asText()).matches("2026-03-02T0\\d:\\d\\d:\\d\\dZ");
    assertThat(item.get("status").asText()).isEqualTo("OPEN");
    assertThat(item.get("severity").asText()).isIn("LOW", "MEDIUM", "HIGH", "CRITICAL");
    assertThat(item.get("summary").asText()).isNotBlank();

    // Get Anomaly Detail
    HttpResponse<String> detail =
        server.send(commands.next().toRequest(server.base, "acme-token"));
    assertThat(detail.statusCode()).as(detail.body()).isEqualTo(200);
    JsonNode anomaly = json(detail);
    assertThat(anomaly.get("id").asText()).isEqualTo(id);
    assertThat(anomaly.get("metrics").get("failureRate").asDouble()).isGreaterThan(0.2);
    assertThat(anomaly.get("metrics").get("sampleSize").asLong()).isGreaterThan(0);
    assertThat(anomaly.get("metrics").has("baselineFailureRate")).isTrue();
    assertThat(anomaly.get("metrics").get("windowStart").asText())
        .matches("2026-03-02T\\d\\d:\\d\\d:\\d\\dZ");
    assertThat(anomaly.get("metrics").get("windowEnd").asText())
        .matches("2026-03-02T\\d\\d:\\d\\d:\\d\\dZ");
    assertThat(anomaly.get("recommendedActions").size()).isPositive();

    // Trigger Verification: 202, empty body, VERIFYING at once, then OPEN (still failing)
    HttpResponse<String> verify =
        server.send(commands.next().toRequest(server.base, "acme-token"));
    assertThat(verify.statusCode()).isEqualTo(202);
    assertThat(verify.body()).isEmpty();
    assertThat(server.detail(id).get("status").asText()).isEqualTo("VERIFYING");
    assertThat(server.verifications.runAll()).isEqualTo(1);
    assertThat(server.detail(id).get("status").asText()).isEqualTo("OPEN");

    // Update Anomaly Status, with its Idempotency-Key: applied once, replayed after
    CurlCommand update = commands.next();
    HttpResponse<String> first = server.send(update.toRequest(server.base, "acme-token"));
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    JsonNode resolved = json(first);
    assertThat(resolved.get("id").asText()).isEqualTo(id);
    assertThat(resolved.get("status").asText()).isEqualTo("RESOLVED");
    JsonNode last = resolved.get("history").get(resolved.get("history").size() - 1);
    assertThat(last.get("to").asText()).isEqualTo("RESOLVED");
    assertThat(last.get("origin").asText()).isEqualTo("USER");
    assertThat(last.get("note").asText())
        .isEqualTo("Rolled back to v2; failure rate returned to baseline.");
    HttpResponse<String> retry = server.send(update.toRequest(server.base, "acme-token"));
    assertThat(retry.statusCode()).isEqualTo(200);
    assertThat(json(retry)).isEqualTo(resolved);
    assertThat(server.detail(id).get("history")).isEqualTo(resolved.get("history"));
    assertThat(commands.hasNext()).isFalse();
  }

  @Test
  void listAppliesTheDocumentedDefaultsOnBothPaths() {
    for (String path : List.of(LIST, "/v1/audit/anomalies")) {
      HttpResponse<String> r = server.get(path, "admin-token", "acme-corp");
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      JsonNode page = json(r);
      assertThat(page.get("page").asInt()).isZero();
      assertThat(page.get("size").asInt()).isEqualTo(20);
      assertThat(page.get("content").findValuesAsText("id")).contains(id);
    }
  }

  @Test
  void listPagesAndFilters() {
    JsonNode none = json(server.get(LIST + "?type=ZOMBIE_VERSION&page=0&size=5", "admin-token",
        "acme-corp"));
    assertThat(none.get("content").findValuesAsText("type")).doesNotContain("HIGH_FAILURE_RATE");
    JsonNode lower = json(server.get(LIST + "?type=high_failure_rate", "admin-token",
        "acme-corp"));
    assertThat(lower.get("content").findValuesAsText("id")).contains(id);
    JsonNode past = json(server.get(LIST + "?page=5&size=1", "admin-token", "acme-corp"));
    assertThat(past.get("content").size()).isZero();
    assertThat(past.get("page").asInt()).isEqualTo(5);
    assertThat(past.get("size").asInt()).isEqualTo(1);
  }

  private static void assertError(HttpResponse<String> r, int status, String message) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode body = json(r);
    assertThat(body.get("status").asInt()).isEqualTo(status);
    assertThat(body.get("message").asText()).contains(message);
  }

  @Test
  void badRequestsAre400WithAMessageNamingTheProblem() {
    assertError(server.get(LIST, "admin-token", null), 400, "X-Tenant-ID header is required");
    assertError(server.get(LIST + "?page=-1", "admin-token", "acme-corp"), 400,
        "page must be 0 or more, but was -1");
    assertError(server.get(LIST + "?size=abc", "admin-token", "acme-corp"), 400,
        "size must be an integer, but was 'abc'");
    assertError(server.get(LIST + "?days=0", "admin-token", "acme-corp"), 400,
        "days must be between 1 and 3660, but was 0");
    assertError(server.patch(id, "{\"status\":\"CLOSED\"}", null), 400,
        "status must be one of OPEN, RESOLVED, DISMISSED, but was 'CLOSED'");
    assertError(server.patch(id, "{\"status\":", null), 400, "request body is not valid JSON");
  }

  @Test
  void missingOrInvalidTokenIs401() {
    HttpResponse<String> none = server.get(LIST, null, "acme-corp");
    assertError(none, 401, "Missing or invalid bearer token");
    assertThat(none.headers().firstValue("WWW-Authenticate")).get().asString()
        .startsWith("Bearer");
    assertError(server.get(LIST, "not-a-token", "acme-corp"), 401, "bearer token");
    assertError(server.send(server.request(LIST, null, "acme-corp")
        .header("Authorization", "Basic YWRtaW46YWRtaW4=").GET().build()), 401, "bearer token");
  }

  @Test
  void tokenWithoutAdminOrForAnotherTenantIs403() {
    assertError(server.get(LIST, "viewer-token", "acme-corp"), 403, "ADMIN role is required");
    assertError(server.get(LIST + "/" + id, "acme-token", "globex"), 403,
        "'acme' may not act for tenant 'globex'");
  }

  @Test
  void unknownIdAndAnotherTenantsIdAre404() {
    assertError(server.get(LIST + "/anom-does-not-exist", "admin-token", "acme-corp"), 404,
        "No anomaly found with id 'anom-does-not-exist'");
    HttpResponse<String> foreign = server.get(LIST + "/" + id, "admin-token", "globex");
    assertError(foreign, 404, "No anomaly found with id '" + id + "'");
  }

  @Test
  void wrongMethodIs405AndUnknownPathIs404() {
    HttpResponse<String> r = server.send(server.request(LIST + "/" + id, "admin-token",
        "acme-corp").DELETE().build());
    assertError(r, 405, "Method DELETE is not allowed");
    assertThat(r.headers().firstValue("Allow")).hasValue("GET");
    assertError(server.get("/api/v1/audit/other", "admin-token", "acme-corp"), 404,
        "No endpoint");
  }

  @Test
  void verifyOrUpdateOfAnUnknownIdIs404() {
    assertError(server.send(server.request(LIST + "/anom-missing/actions/verify",
        "admin-token", "acme-corp").POST(HttpRequest.BodyPublishers.noBody()).build()), 404,
        "anom-missing");
    assertError(server.patch("anom-missing", "{\"status\":\"RESOLVED\"}", null), 404,
        "anom-missing");
  }

  @Test
  void formEncodedBodyIs415() {
    HttpResponse<String> r = server.send(server.request(LIST + "/" + id + "/status",
        "admin-token", "acme-corp").header("Content-Type", "application/x-www-form-urlencoded")
        .method("PATCH", HttpRequest.BodyPublishers.ofString("status=RESOLVED")).build());
    assertError(r, 415, "Content-Type must be application/json");
  }

  @Test
  void oversizedBodyIs413AndReachesNothing() {
    String note = "x".repeat(AnomalyServer.MAX_BODY_BYTES);
    HttpResponse<String> r = server.patch(id, "{\"status\":\"RESOLVED\",\"note\":\"" + note
        + "\"}", null);
    assertError(r, 413, "request body must be at most 65536 bytes");
    assertThat(server.detail(id).get("history").findValuesAsText("note"))
        .noneMatch(n -> n.startsWith("xxx"));
  }

  @Test
  void engineFailureIs500WithoutInternals() {
    HttpResponse<String> r = server.get(LIST, "admin-token", ServerFixture.BROKEN_TENANT);
    assertError(r, 500, "Unexpected engine failure");
    assertThat(r.body()).doesNotContain("connection refused", "Exception", "\tat ");
  }

  @Test
  void servesTheOpenApiDocument() {
    HttpResponse<String> r = server.get("/openapi.json", null, null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).get("paths").has("/api/v1/audit/anomalies/{id}/status")).isTrue();
  }
}
