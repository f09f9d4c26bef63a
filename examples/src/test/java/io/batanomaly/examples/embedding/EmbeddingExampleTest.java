package io.batanomaly.examples.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batanomaly.testkit.ManualClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
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
