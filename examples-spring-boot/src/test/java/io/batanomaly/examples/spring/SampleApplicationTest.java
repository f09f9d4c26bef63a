package io.batanomaly.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.AnomalyEngine;
import io.batanomaly.BatchingIngester;
import io.batanomaly.spring.boot.AnomalyEngineCustomizer;
import io.batanomaly.testkit.CurlCommand;
import io.batanomaly.testkit.ManualExecutor;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sample application on a random port, behind Spring Security, answering the
 * documentation's four {@code curl} commands as written (host and token replaced). Verification
 * jobs wait in a {@link ManualExecutor} so the test sees VERIFYING, then runs them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(SampleApplicationTest.HeldVerifications.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SampleApplicationTest {
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final String LIST = "/api/v1/audit/anomalies";

  @TestConfiguration(proxyBeanMethods = false)
  static class HeldVerifications {
    @Bean
    ManualExecutor verifications() {
      return new ManualExecutor();
    }

    @Bean
    AnomalyEngineCustomizer holdVerifications(ManualExecutor verifications) {
      return b -> b.verificationExecutor(verifications);
    }
  }

  @Value("${local.server.port}")
  int port;

  @Autowired
  ManualExecutor verifications;

  @Autowired
  AnomalyEngine engine;

  @Autowired
  ApplicationContext context;

  private final HttpClient client = HttpClient.newHttpClient();

  private String base() {
    return "http://127.0.0.1:" + port;
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<String> get(String path, String token, String tenant) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (tenant != null) {
      b.header("X-Tenant-ID", tenant);
    }
    return send(b.build());
  }

  private static JsonNode json(HttpResponse<String> r) {
    return JSON.readTree(r.body());
  }

  private static List<CurlCommand> documentedCommands() throws IOException {
    try (InputStream in = SampleApplicationTest.class.getResourceAsStream(
        "/spec/curl-examples.txt")) {
      return CurlCommand.parseAll(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void answersTheDocumentedCurlCommandsBehindSpringSecurity() throws IOException {
    String id = DocumentedIncident.ANOMALY_ID;
    Iterator<CurlCommand> commands = documentedCommands().iterator();

    // List Anomalies
    HttpResponse<String> list = send(commands.next().toRequest(base(), "demo-acme-token"));
    assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
    assertThat(list.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode page = json(list);
    assertThat(page.get("page").asInt()).isZero();
    assertThat(page.get("size").asInt()).isEqualTo(20);
    assertThat(page.get("totalElements").asLong()).isEqualTo(1);
    assertThat(page.get("totalPages").asInt()).isEqualTo(1);
    JsonNode item = page.get("content").get(0);
    assertThat(item.get("id").asString()).isEqualTo(id);
    assertThat(item.get("type").asString()).isEqualTo("HIGH_FAILURE_RATE");
    assertThat(item.get("policyModule").asString()).isEqualTo("payments");
    assertThat(item.get("policyFunction").asString()).isEqualTo("authorize");
    assertThat(item.get("versionId").asString()).isEqualTo("v7");
    assertThat(item.get("status").asString()).isEqualTo("OPEN");
    assertThat(item.get("detectedAt").asString())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");

    // Get Anomaly Detail
    HttpResponse<String> detail = send(commands.next().toRequest(base(), "demo-acme-token"));
    assertThat(detail.statusCode()).as(detail.body()).isEqualTo(200);
    JsonNode anomaly = json(detail);
    assertThat(anomaly.get("id").asString()).isEqualTo(id);
    assertThat(anomaly.get("metrics").get("failureRate").asDouble())
        .isGreaterThanOrEqualTo(0.10); // the threshold; the incident fails 34%
    assertThat(anomaly.get("metrics").get("baselineFailureRate").asDouble()).isLessThan(0.10)
        .isLessThan(anomaly.get("metrics").get("failureRate").asDouble());
    assertThat(anomaly.get("metrics").get("sampleSize").asLong()).isPositive();
    assertThat(anomaly.get("recommendedActions").size()).isPositive();

    // Trigger Verification: 202, empty body, VERIFYING at once, then OPEN (still failing)
    HttpResponse<String> verify = send(commands.next().toRequest(base(), "demo-acme-token"));
    assertThat(verify.statusCode()).isEqualTo(202);
    assertThat(verify.body()).isEmpty();
    assertThat(json(get(LIST + "/" + id, "demo-acme-token", "acme-corp")).get("status")
        .asString()).isEqualTo("VERIFYING");
    assertThat(verifications.runAll()).isEqualTo(1);
    assertThat(json(get(LIST + "/" + id, "demo-acme-token", "acme-corp")).get("status")
        .asString()).isEqualTo("OPEN");

    // Update Anomaly Status, with its Idempotency-Key: applied once, replayed after
    CurlCommand update = commands.next();
    HttpResponse<String> first = send(update.toRequest(base(), "demo-acme-token"));
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    JsonNode resolved = json(first);
    assertThat(resolved.get("status").asString()).isEqualTo("RESOLVED");
    JsonNode last = resolved.get("history").get(resolved.get("history").size() - 1);
    assertThat(last.get("origin").asString()).isEqualTo("USER");
    assertThat(last.get("note").asString())
        .isEqualTo("Rolled back to v2; failure rate returned to baseline.");
    HttpResponse<String> retry = send(update.toRequest(base(), "demo-acme-token"));
    assertThat(retry.statusCode()).isEqualTo(200);
    assertThat(json(retry)).isEqualTo(resolved);
    assertThat(commands.hasNext()).isFalse();
  }

  @Test
  void springSecurityDecidesWhoCallsAndTheStarterWhatTheyMayDo() {
    HttpResponse<String> none = get(LIST, null, "acme-corp");
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    assertThat(json(none).get("message").asString()).isEqualTo("Missing or invalid bearer token");
    assertThat(get(LIST, "not-a-token", "acme-corp").statusCode()).isEqualTo(401);

    HttpResponse<String> viewer = get(LIST, "demo-viewer-token", "acme-corp");
    assertThat(viewer.statusCode()).isEqualTo(403);
    assertThat(json(viewer).get("message").asString()).contains("ADMIN role is required");
    HttpResponse<String> otherTenant = get(LIST, "demo-acme-token", "globex");
    assertThat(otherTenant.statusCode()).isEqualTo(403);
    assertThat(json(otherTenant).get("message").asString())
        .contains("'acme' may not act for tenant 'globex'");

    HttpResponse<String> anyTenant = get("/v1/audit/anomalies", "demo-admin-token", "globex");
    assertThat(anyTenant.statusCode()).isEqualTo(200);
    assertThat(json(anyTenant).get("totalElements").asLong()).isZero();
  }

  @Test
  void servesTheAnomaliesPageWhoseCallsCarryTheToken() {
    HttpResponse<String> page = get("/dashboard/anomalies", null, null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).get().asString()
        .startsWith("text/html");
    assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
    assertThat(page.body()).contains("<html");
    assertThat(get("/dashboard/nothing-here", null, null).statusCode()).isEqualTo(404);
  }

  @Test
  void reportsHealthAndMetricsAndRecordsItsOwnRequests() {
    HttpResponse<String> health = get("/actuator/health", null, null);
    assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
    JsonNode component = json(health).get("components").get("batanomaly");
    assertThat(component.get("status").asString()).isEqualTo("UP");
    assertThat(component.get("details").get("detectorErrors").asLong()).isZero();
    assertThat(component.get("details").get("notificationsDropped").asLong()).isZero();

    get(LIST, "not-a-token", "acme-corp");
    HttpResponse<String> metric = get("/actuator/metrics/batanomaly.events.accepted",
        "demo-admin-token", null);
    assertThat(metric.statusCode()).as(metric.body()).isEqualTo(200);
    assertThat(json(metric).get("measurements").get(0).get("value").asDouble())
        .isGreaterThanOrEqualTo(750);
    HttpResponse<String> rejected = get(
        "/actuator/metrics/batanomaly.events.rejected?tag=reason:LATE", "demo-admin-token", null);
    assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(200);

    // the audit filter offers every request, the refused ones included, to the engine
    BatchingIngester ingester = context.getBean(BatchingIngester.class);
    ingester.flush();
    assertThat(ingester.accepted()).isGreaterThanOrEqualTo(3);
    assertThat(engine.health().servicesTracked()).isGreaterThanOrEqualTo(1);
  }
}
