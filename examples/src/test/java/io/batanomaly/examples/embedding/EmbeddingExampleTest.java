package io.batanomaly.examples.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyQuery;
import io.batanomaly.notify.WebhookSignature;
import io.batanomaly.testkit.ManualClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EmbeddingExampleTest {
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  private final HttpClient client = HttpClient.newHttpClient();

  private int post(EmbeddingExample.Host host, String path) throws Exception {
    return client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + host.port() + path))
            .header("X-Tenant-ID", "acme-corp")
            .POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void everyRequestOfTheApplicationReachesTheEngine() throws Exception {
    ManualClock clock = new ManualClock(T0);
    try (EmbeddingExample.Host host = EmbeddingExample.start(Map.of("PORT", "0"), clock)) {
      for (int i = 0; i < 12; i++) {
        assertThat(post(host, "/login")).isEqualTo(401);
      }
      host.ingester().flush();
      assertThat(host.ingester().accepted()).isEqualTo(12);
      assertThat(host.engine().health().eventsAccepted()).isEqualTo(12);
    }
  }

  /** One webhook delivery as the receiver saw it. */
  private record Delivery(String id, String timestamp, String signature, String body) {}

  @Test
  void failedLoginsThroughTheFilterRaiseBruteForceAndASignedWebhookFromTheEnvironment()
      throws Exception {
    BlockingQueue<Delivery> received = new LinkedBlockingQueue<>();
    HttpServer receiver = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext("/hooks/anomalies", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      received.add(new Delivery(
          exchange.getRequestHeaders().getFirst(WebhookSignature.ID_HEADER),
          exchange.getRequestHeaders().getFirst(WebhookSignature.TIMESTAMP_HEADER),
          exchange.getRequestHeaders().getFirst(WebhookSignature.SIGNATURE_HEADER), body));
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    receiver.start();
    ManualClock clock = new ManualClock(T0);
    String secret = WebhookSignature.newSecret();
    Map<String, String> environment = Map.of("PORT", "0",
        "ANOMALY_WEBHOOK_URLS",
        "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks/anomalies",
        "ANOMALY_WEBHOOK_SECRET", secret);
    try (EmbeddingExample.Host host = EmbeddingExample.start(environment, clock)) {
      for (int i = 0; i < 12; i++) {
        assertThat(post(host, "/login")).isEqualTo(401);
      }
      host.ingester().flush();

      List<Anomaly> found = host.engine().anomalies().list("acme-corp", AnomalyQuery.defaults())
          .content().stream().map(s -> host.engine().anomalies().get("acme-corp", s.id()))
          .toList();
      assertThat(found).singleElement().satisfies(a -> {
        assertThat(a.type()).isEqualTo("BRUTE_FORCE");
        assertThat(a.subject()).isEqualTo("127.0.0.1");
        assertThat(a.service()).isEqualTo("shop");
      });

      Delivery delivery = received.poll(20, TimeUnit.SECONDS);
      assertThat(delivery).as("webhook delivery").isNotNull();
      assertThat(delivery.body()).contains("\"event\":\"anomaly.opened\"")
          .contains("\"type\":\"BRUTE_FORCE\"").contains(found.get(0).id());
      assertThat(WebhookSignature.verify(secret, delivery.id(), delivery.timestamp(),
          delivery.body(), delivery.signature(), Duration.ofMinutes(5), clock.instant()))
          .isTrue();
    } finally {
      receiver.stop(0);
    }
  }

  @Test
  void takesItsSettingsFromTheEnvironment() throws Exception {
    ManualClock clock = new ManualClock(T0);
    try (EmbeddingExample.Host host = EmbeddingExample.start(
        Map.of("PORT", "0", "ANOMALY_COOLDOWN", "90s", "PATH", "/usr/bin"), clock)) {
      assertThat(host.engine().config().asMap()).containsExactly(
          Map.entry("ANOMALY_COOLDOWN", "90s"));
    }
    assertThatThrownBy(() -> EmbeddingExample.start(
        Map.of("PORT", "0", "ANOMALY_COOLDOWN", "soon"), clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ANOMALY_COOLDOWN must be a duration such as 30s, 5m, 1h or a"
            + " number of seconds, but was 'soon'");
    assertThatThrownBy(() -> EmbeddingExample.start(Map.of("PORT", "http"), clock))
        .hasMessage("PORT must be a port number, but was 'http'");
  }
}
