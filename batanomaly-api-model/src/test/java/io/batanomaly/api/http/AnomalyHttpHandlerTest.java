package io.batanomaly.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.batanomaly.api.AnomalyNotFoundException;
import io.batanomaly.api.AnomalyStatus;
import io.batanomaly.api.IdempotencyKeyInFlightException;
import io.batanomaly.api.IdempotencyKeyReusedException;
import io.batanomaly.api.IllegalTransitionException;
import io.batanomaly.api.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AnomalyHttpHandlerTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ApiPrincipal ADMIN =
      ApiPrincipal.of("alice", Set.of("acme-corp"), Set.of("ADMIN"));
  private static final String BASE = "/api/v1/audit/anomalies";
  private static final String ID = "anom-xyz789";

  private final RecordingTriageService triage = new RecordingTriageService();
  private final AnomalyHttpHandler handler = new AnomalyHttpHandler(triage, new JacksonCodec());

  private static Map<String, List<String>> headers(String... nameValues) {
    Map<String, List<String>> h = new LinkedHashMap<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      h.computeIfAbsent(nameValues[i], k -> new java.util.ArrayList<>()).add(nameValues[i + 1]);
    }
    return h;
  }

  private ApiResponse send(String method, String path, String query, ApiPrincipal principal,
      String body, String... headers) {
    return handler.handle(new ApiRequest(method, path, query, headers(headers),
        body == null ? null : body.getBytes(StandardCharsets.UTF_8), principal));
  }

  private ApiResponse get(String path, String query) {
    return send("GET", path, query, ADMIN, null, "X-Tenant-ID", "acme-corp");
  }

  private ApiResponse patch(String body, String... extraHeaders) {
    String[] h = new String[4 + extraHeaders.length];
    h[0] = "X-Tenant-ID";
    h[1] = "acme-corp";
    h[2] = "Content-Type";
    h[3] = "application/json";
    System.arraycopy(extraHeaders, 0, h, 4, extraHeaders.length);
    return send("PATCH", BASE + "/" + ID + "/status", null, ADMIN, body, h);
  }

  private static JsonNode json(ApiResponse r) throws Exception {
    return MAPPER.readTree(r.body());
  }

  private static void assertError(ApiResponse r, int status, String... messageParts)
      throws Exception {
    assertThat(r.status()).as(r.bodyText()).isEqualTo(status);
    assertThat(r.headers()).containsEntry("Content-Type", "application/json");
    JsonNode body = json(r);
    assertThat(body.get("status").asInt()).isEqualTo(status);
    assertThat(body.get("error").asText()).isNotBlank();
    assertThat(body.get("message").asText()).contains(messageParts);
  }

  @Test
  void listAppliesTheDocumentedDefaults() throws Exception {
    ApiResponse r = get(BASE, null);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.headers()).containsEntry("Content-Type", "application/json");
    assertThat(triage.lastQuery.type()).isNull();
    assertThat(triage.lastQuery.days()).isEqualTo(7);
    assertThat(triage.lastQuery.page()).isZero();
    assertThat(triage.lastQuery.size()).isEqualTo(20);
    JsonNode body = json(r);
    assertThat(body.get("content").get(0).get("id").asText()).isEqualTo(ID);
    assertThat(body.get("totalElements").asLong()).isEqualTo(1);
  }

  @Test
  void listPassesTheSpecExampleQueryThrough() {
    ApiResponse r = get(BASE, "type=HIGH_FAILURE_RATE&days=14&page=0&size=20");

    assertThat(r.status()).isEqualTo(200);
    assertThat(triage.lastQuery.type()).isEqualTo("HIGH_FAILURE_RATE");
    assertThat(triage.lastQuery.days()).isEqualTo(14);
    assertThat(triage.lastQuery.size()).isEqualTo(20);
    assertThat(triage.calls).containsExactly("list acme-corp");
  }

  @Test
  void aliasPathServesTheSameList() throws Exception {
    ApiResponse r = get("/v1/audit/anomalies", "page=0");

    assertThat(r.status()).isEqualTo(200);
    assertThat(json(r).get("content").get(0).get("id").asText()).isEqualTo(ID);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "page=-1|page must be 0 or more, but was -1",
      "page=abc|page must be an integer, but was 'abc'",
      "size=0|size must be between 1 and 200, but was 0",
      "size=201|size must be between 1 and 200, but was 201",
      "days=0|days must be between 1 and 3660, but was 0",
      "days=x7|days must be an integer, but was 'x7'",
      "page=1&page=2|'page' must be given once",
      "type=HIGH%20FAILURE|type must be an anomaly type",
      "size=%zz|not valid percent-encoding"})
  void badListParametersAreAnswered400NamingTheParameterAndValue(String query, String message)
      throws Exception {
    assertError(get(BASE, query), 400, message);
    assertThat(triage.lastQuery).isNull();
  }

  @Test
  void detailReturnsTheAnomaly() throws Exception {
    ApiResponse r = get(BASE + "/" + ID, null);

    assertThat(r.status()).isEqualTo(200);
    JsonNode body = json(r);
    assertThat(body.get("id").asText()).isEqualTo(ID);
    assertThat(body.get("detectedAt").asText()).isEqualTo("2024-01-15T10:30:00Z");
    assertThat(body.get("metrics").get("windowStart").asText()).isEqualTo("2024-01-15T09:00:00Z");
    assertThat(body.get("recommendedActions").size()).isEqualTo(2);
  }

  @Test
  void detailDecodesAPercentEncodedId() {
    get(BASE + "/anom%2Fodd%20id", null);
    get(BASE + "/anom-\uD83D\uDE00-%C3%A9", null);

    assertThat(triage.calls).containsExactly("find acme-corp anom/odd id",
        "find acme-corp anom-\uD83D\uDE00-\u00e9");
  }

  @Test
  void malformedPercentEncodingInThePathIs400() throws Exception {
    assertError(get(BASE + "/anom%zz", null), 400, "path segment 'anom%zz'");
    assertError(get(BASE + "/anom%C3", null), 400, "not valid UTF-8");
    assertThat(triage.calls).isEmpty();
  }

  @Test
  void unknownIdIs404() throws Exception {
    assertError(get(BASE + "/anom-missing", null), 404, "anom-missing");
  }

  @Test
  void verifyAnswers202WithAnEmptyBody() {
    ApiResponse r = send("POST", BASE + "/" + ID + "/actions/verify", null, ADMIN, null,
        "X-Tenant-ID", "acme-corp");

    assertThat(r.status()).isEqualTo(202);
    assertThat(r.body()).isEmpty();
    assertThat(r.headers()).doesNotContainKey("Content-Type");
    assertThat(r.headers()).containsEntry("Location", BASE + "/" + ID);
    assertThat(triage.calls).containsExactly("verify acme-corp " + ID);
  }

  @Test
  void patchAnswers200WithTheUpdatedDetailAndPassesTheIdempotencyKey() throws Exception {
    ApiResponse r = patch("{\"status\":\"RESOLVED\",\"note\":\"Rolled back to v2\"}",
        "Idempotency-Key", "550e8400-e29b-41d4-a716-446655440000");

    assertThat(r.status()).isEqualTo(200);
    assertThat(json(r).get("status").asText()).isEqualTo("RESOLVED");
    assertThat(triage.lastUpdate.status()).isEqualTo(AnomalyStatus.RESOLVED);
    assertThat(triage.lastUpdate.note()).isEqualTo("Rolled back to v2");
    assertThat(triage.lastKey).isEqualTo("550e8400-e29b-41d4-a716-446655440000");
  }

  @Test
  void patchWithoutKeyPassesNull() {
    ApiResponse r = patch("{\"status\":\"dismissed\"}");

    assertThat(r.status()).isEqualTo(200);
    assertThat(triage.lastUpdate.status()).isEqualTo(AnomalyStatus.DISMISSED);
    assertThat(triage.lastUpdate.note()).isNull();
    assertThat(triage.lastKey).isNull();
  }

  @Test
  void headerNamesAreMatchedIgnoringCase() {
    ApiResponse r = send("PATCH", BASE + "/" + ID + "/status", null, ADMIN,
        "{\"status\":\"RESOLVED\"}", "x-tenant-id", "acme-corp", "content-type",
        "Application/JSON; charset=utf-8", "IDEMPOTENCY-KEY", "k-1");

    assertThat(r.status()).isEqualTo(200);
    assertThat(triage.lastKey).isEqualTo("k-1");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''|request body is required",
      "not json|request body is not valid JSON",
      "[1,2]|must be a JSON object",
      "{}|status is required",
      "{\"status\":null}|status is required",
      "{\"status\":\"CLOSED\"}|status must be one of OPEN, RESOLVED, DISMISSED, but was 'CLOSED'",
      "{\"status\":7}|status must be one of OPEN, RESOLVED, DISMISSED, but was the number 7",
      "{\"status\":\"VERIFYING\"}|actions/verify",
      "{\"status\":\"RESOLVED\",\"note\":5}|note must be a string, but was the number 5"})
  void badPatchBodiesAreAnswered400(String body, String message) throws Exception {
    assertError(patch(body), 400, message);
    assertThat(triage.calls).isEmpty();
  }

  @Test
  void patchBodyThatIsNotJsonIs415() throws Exception {
    ApiResponse r = send("PATCH", BASE + "/" + ID + "/status", null, ADMIN,
        "status=RESOLVED", "X-Tenant-ID", "acme-corp", "Content-Type",
        "application/x-www-form-urlencoded");

    assertError(r, 415, "Content-Type must be application/json, but was "
        + "'application/x-www-form-urlencoded'");
    assertThat(triage.calls).isEmpty();
  }

  @Test
  void missingPrincipalIs401WithABearerChallenge() throws Exception {
    ApiResponse r = send("GET", BASE, null, null, null, "X-Tenant-ID", "acme-corp");

    assertError(r, 401, "bearer token");
    assertThat(r.headers().get("WWW-Authenticate")).startsWith("Bearer");
    assertThat(triage.calls).isEmpty();
  }

  @Test
  void principalWithoutAdminIs403() throws Exception {
    ApiPrincipal viewer = ApiPrincipal.of("bob", Set.of("acme-corp"), Set.of("VIEWER"));

    assertError(send("GET", BASE, null, viewer, null, "X-Tenant-ID", "acme-corp"), 403,
        "ADMIN role is required", "'bob'");
    assertThat(triage.calls).isEmpty();
  }

  @Test
  void adminRoleIsMatchedIgnoringCase() {
    ApiPrincipal admin = ApiPrincipal.of("carol", Set.of("acme-corp"), Set.of("admin"));

    assertThat(send("GET", BASE, null, admin, null, "X-Tenant-ID", "acme-corp").status())
        .isEqualTo(200);
  }

  @Test
  void tenantThePrincipalMayNotActForIs403() throws Exception {
    assertError(send("GET", BASE + "/" + ID, null, ADMIN, null, "X-Tenant-ID", "globex"), 403,
        "'alice' may not act for tenant 'globex'");
    assertThat(triage.calls).isEmpty();
  }

  @Test
  void anyTenantPrincipalReachesEveryTenantAndSeesOnlyThatTenantsAnomalies()
      throws Exception {
    ApiPrincipal root = ApiPrincipal.of("root", Set.of(ApiPrincipal.ANY_TENANT), Set.of("ADMIN"));

    assertError(send("GET", BASE + "/" + ID, null, root, null, "X-Tenant-ID", "globex"), 404,
        ID);
    assertThat(triage.calls).containsExactly("find globex " + ID);
  }

  @Test
  void missingOrBlankTenantHeaderIs400() throws Exception {
    assertError(send("GET", BASE, null, ADMIN, null), 400, "X-Tenant-ID header is required",
        "missing");
    assertError(send("GET", BASE, null, ADMIN, null, "X-Tenant-ID", "  "), 400,
        "X-Tenant-ID header is required", "'  '");
    assertError(send("GET", BASE, null, ADMIN, null, "X-Tenant-ID", "a", "X-Tenant-ID", "b"),
        400, "X-Tenant-ID header must be given once");
    assertThat(triage.calls).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
      "DELETE, /api/v1/audit/anomalies/anom-xyz789, GET",
      "POST, /api/v1/audit/anomalies, GET",
      "GET, /api/v1/audit/anomalies/anom-xyz789/actions/verify, POST",
      "PUT, /api/v1/audit/anomalies/anom-xyz789/status, PATCH"})
  void wrongMethodIs405WithAllow(String method, String path, String allowed) throws Exception {
    ApiResponse r = send(method, path, null, ADMIN, null, "X-Tenant-ID", "acme-corp");

    assertError(r, 405, method, allowed);
    assertThat(r.headers()).containsEntry("Allow", allowed);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/v1/audit/anomalies/", "/api/v1/audit/anomalies/x/y",
      "/api/v1/audit/anomalies/x/actions/delete", "/api/v1/audit/other"})
  void unknownPathIs404(String path) throws Exception {
    assertError(send("GET", path, null, ADMIN, null, "X-Tenant-ID", "acme-corp"), 404,
        "No endpoint");
  }

  @Test
  void handlesRecognisesBothBasePaths() {
    assertThat(AnomalyHttpHandler.handles("/api/v1/audit/anomalies")).isTrue();
    assertThat(AnomalyHttpHandler.handles("/v1/audit/anomalies/a/status")).isTrue();
    assertThat(AnomalyHttpHandler.handles("/api/v1/audit/anomaliesX")).isFalse();
    assertThat(AnomalyHttpHandler.handles("/health")).isFalse();
  }

  @Test
  void triageExceptionsMapToTheirStatusCodes() throws Exception {
    triage.failWith(new IllegalTransitionException(ID, AnomalyStatus.RESOLVED,
        AnomalyStatus.DISMISSED));
    assertError(patch("{\"status\":\"DISMISSED\"}"), 409, "cannot move from RESOLVED to DISMISSED");

    triage.failWith(new IdempotencyKeyReusedException("k-1"));
    assertError(patch("{\"status\":\"OPEN\"}", "Idempotency-Key", "k-1"), 422, "'k-1'");

    triage.failWith(new IdempotencyKeyInFlightException("k-2"));
    assertError(patch("{\"status\":\"OPEN\"}", "Idempotency-Key", "k-2"), 409,
        "still being processed");

    triage.failWith(new InvalidRequestException("Idempotency-Key must be 1 to 255 characters"));
    assertError(patch("{\"status\":\"OPEN\"}", "Idempotency-Key", "k"), 400, "Idempotency-Key");

    triage.failWith(new AnomalyNotFoundException("anom-gone"));
    assertError(send("POST", BASE + "/anom-gone/actions/verify", null, ADMIN, null,
        "X-Tenant-ID", "acme-corp"), 404, "anom-gone");
  }

  @Test
  void unexpectedFailureIs500WithoutStackTraceAndHandsTheExceptionToTheHost()
      throws Exception {
    IllegalStateException boom = new IllegalStateException("disk on fire at Repo.java:42");
    triage.failWith(boom);

    ApiResponse r = get(BASE, null);

    assertError(r, 500, "Unexpected engine failure");
    assertThat(r.bodyText()).doesNotContain("disk on fire", "IllegalStateException", "at ");
    assertThat(r.failure()).isSameAs(boom);
  }

  @Test
  void codecThatCannotWriteStillYieldsA500Body() {
    JsonCodec broken = new JsonCodec() {
      @Override
      public byte[] write(Object value) {
        throw new IllegalStateException("no serializer");
      }

      @Override
      public Object read(byte[] json) {
        return Map.of();
      }
    };
    ApiResponse r = new AnomalyHttpHandler(triage, broken).handle(new ApiRequest("GET", BASE,
        null, headers("X-Tenant-ID", "acme-corp"), null, ADMIN));

    assertThat(r.status()).isEqualTo(500);
    assertThat(r.bodyText()).contains("\"status\":500", "Unexpected engine failure");
    assertThat(r.failure()).hasMessage("no serializer");
  }

  @Test
  void successfulResponsesCarryNoFailure() {
    assertThat(get(BASE, null).failure()).isNull();
  }
}
