package io.batanomaly.examples.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.BatchingIngester;
import io.batanomaly.testkit.ManualClock;
import io.batanomaly.testkit.RecordingDetector;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AuditFilterTest {
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  private final ManualClock clock = new ManualClock(T0);
  private final RecordingDetector recorder = new RecordingDetector();
  private final AnomalyEngine engine = AnomalyEngine.builder().clock(clock).autoTick(false)
      .discoverDetectors(false).detector(recorder).build();
  private final BatchingIngester ingester = new BatchingIngester(engine, 100, 100, Duration.ZERO);
  private final HttpClient client = HttpClient.newHttpClient();
  private HttpServer server;

  @BeforeEach
  void startServer() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    HttpContext context = server.createContext("/", exchange -> {
      if (exchange.getRequestURI().getPath().equals("/boom")) {
        throw new IllegalStateException("handler failed");
      }
      EmbeddingExample.application(exchange);
    });
    context.getFilters().add(new AuditFilter("shop", "default-tenant", ingester, clock));
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    ingester.close();
    engine.close();
  }

  private int send(String method, String path, String tenant) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (tenant != null) {
      b.header(AuditFilter.TENANT_HEADER, tenant);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void recordsEachRequestWithTenantMethodStatusCallerAndPath() throws Exception {
    assertThat(send("POST", "/login", "acme-corp")).isEqualTo(401);
    assertThat(send("DELETE", "/items/42", "acme-corp")).isEqualTo(204);
    assertThat(send("GET", "/", null)).isEqualTo(200);
    ingester.flush();

    List<AuditEvent> events = List.copyOf(recorder.events);
    assertThat(events).hasSize(3);
    assertThat(events).extracting(AuditEvent::tenant)
        .containsExactly("acme-corp", "acme-corp", "default-tenant");
    assertThat(events).extracting(AuditEvent::method).containsExactly("POST", "DELETE", "GET");
    assertThat(events).extracting(AuditEvent::status).containsExactly(401, 204, 200);
    assertThat(events).extracting(e -> e.attributes().get("path"))
        .containsExactly("/login", "/items/42", "/");
    assertThat(events).allSatisfy(e -> {
      assertThat(e.service()).isEqualTo("shop");
      assertThat(e.identifier()).isEqualTo("127.0.0.1");
      assertThat(e.timestamp()).isEqualTo(T0);
    });
  }

  @Test
  void recordsAFailingHandlerAsAServerError() throws Exception {
    try {
      // POST, because the client retries an idempotent GET on a closed connection
      send("POST", "/boom", "acme-corp");
    } catch (java.io.IOException closedByServer) {
      // the JDK server closes the connection when a handler throws
    }
    ingester.flush();
    assertThat(recorder.events).singleElement()
        .satisfies(e -> assertThat(e.status()).isEqualTo(500));
  }
}
