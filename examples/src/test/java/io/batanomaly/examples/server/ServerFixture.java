package io.batanomaly.examples.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyPage;
import io.batanomaly.api.AnomalyQuery;
import io.batanomaly.api.AnomalySummary;
import io.batanomaly.api.StatusUpdateRequest;
import io.batanomaly.api.TriageService;
import io.batanomaly.api.http.DashboardHandler;
import io.batanomaly.examples.demo.Demo;
import io.batanomaly.examples.demo.DemoScenario;
import io.batanomaly.examples.demo.Replay;
import io.batanomaly.examples.demo.SimulatedClock;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A running example server over an engine fed with the server stream up to a chosen simulated
 * time, with verification jobs held in a {@link QueuedExecutor} and an HTTP client to talk to it.
 * Tenant {@code broken-tenant} answers every call with an engine failure, to reach the 500 path.
 */
final class ServerFixture implements AutoCloseable {
  static final String TOKENS = "admin-token=admin:acme-corp|globex|broken-tenant:ADMIN,"
      + "acme-token=acme:acme-corp:ADMIN,viewer-token=viewer:acme-corp:VIEWER";
  static final String BROKEN_TENANT = "broken-tenant";
  static final ObjectMapper JSON = new ObjectMapper();

  final SimulatedClock clock = new SimulatedClock(DemoScenario.START);
  final QueuedExecutor verifications = new QueuedExecutor();
  final AnomalyEngine engine;
  final AnomalyServer server;
  final HttpClient client = HttpClient.newHttpClient();
  final String base;
  private final Pausing events =
      new Pausing(ServerStream.events(DemoScenario.standard().end()));
  private final List<Replay.ScheduledAction> actions = DemoScenario.standard().actions();
  private Instant replayedTo = DemoScenario.START;

  ServerFixture(Instant replayUntil) throws IOException {
    this(replayUntil, DashboardHandler.create());
  }

  ServerFixture(Instant replayUntil, DashboardHandler dashboard) throws IOException {
    engine = DemoServer.engine(Demo.config(Map.of()), clock, verifications);
    replayTo(replayUntil);
    server = AnomalyServer.start(new FailingFor(engine.anomalies()),
        BearerTokens.parse(TOKENS), new InetSocketAddress("127.0.0.1", 0), dashboard);
    base = "http://127.0.0.1:" + server.port();
  }

  /** Feeds the stream on, up to (excluded) {@code until}. */
  void replayTo(Instant until) {
    events.limit = until.toEpochMilli();
    List<Replay.ScheduledAction> due = actions.stream()
        .filter(a -> !a.at().isBefore(replayedTo) && a.at().isBefore(until)).toList();
    new Replay(engine, clock, p -> { }, Duration.ofHours(1)).play(events, until, due);
    replayedTo = until;
  }

  /** The id of acme-corp's HIGH_FAILURE_RATE anomaly of payments/authorize v7. */
  String paymentsAnomalyId() {
    AnomalyPage<AnomalySummary> page = engine.anomalies().list(ServerStream.TENANT,
        AnomalyQuery.defaults().withType("HIGH_FAILURE_RATE").withPage(0, 200));
    return page.content().stream().filter(s -> "v7".equals(s.versionId())).findFirst()
        .orElseThrow(() -> new AssertionError("no HIGH_FAILURE_RATE for payments v7 in "
            + page)).id();
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpRequest.Builder request(String pathAndQuery, String token, String tenant) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
        .timeout(Duration.ofSeconds(10));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (tenant != null) {
      b.header("X-Tenant-ID", tenant);
    }
    return b;
  }

  HttpResponse<String> get(String pathAndQuery, String token, String tenant) {
    return send(request(pathAndQuery, token, tenant).GET().build());
  }

  HttpResponse<String> patch(String id, String body, String idempotencyKey) {
    HttpRequest.Builder b = request("/api/v1/audit/anomalies/" + id + "/status", "admin-token",
        ServerStream.TENANT).header("Content-Type", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(body));
    if (idempotencyKey != null) {
      b.header("Idempotency-Key", idempotencyKey);
    }
    return send(b.build());
  }

  HttpResponse<String> verify(String id) {
    return send(request("/api/v1/audit/anomalies/" + id + "/actions/verify", "admin-token",
        ServerStream.TENANT).POST(HttpRequest.BodyPublishers.noBody()).build());
  }

  JsonNode detail(String id) {
    HttpResponse<String> r = get("/api/v1/audit/anomalies/" + id, "admin-token",
        ServerStream.TENANT);
    if (r.statusCode() != 200) {
      throw new AssertionError("GET detail answered " + r.statusCode() + ": " + r.body());
    }
    return json(r);
  }

  static JsonNode json(HttpResponse<String> r) {
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: '" + r.body() + "'", e);
    }
  }

  @Override
  public void close() {
    server.close();
    engine.close();
  }

  /** Hands out the stream's events up to a limit that the fixture moves on. */
  private static final class Pausing implements Iterator<AuditEvent> {
    private final Iterator<AuditEvent> source;
    private AuditEvent next;
    long limit = Long.MIN_VALUE;

    Pausing(Iterator<AuditEvent> source) {
      this.source = source;
    }

    @Override
    public boolean hasNext() {
      if (next == null && source.hasNext()) {
        next = source.next();
      }
      return next != null && next.epochMillis() < limit;
    }

    @Override
    public AuditEvent next() {
      if (!hasNext()) {
        throw new java.util.NoSuchElementException();
      }
      AuditEvent e = next;
      next = null;
      return e;
    }
  }

  /** The engine's triage service, except that {@link #BROKEN_TENANT}'s calls fail. */
  private static final class FailingFor implements TriageService {
    private final TriageService delegate;

    FailingFor(TriageService delegate) {
      this.delegate = delegate;
    }

    private static void check(String tenant) {
      if (BROKEN_TENANT.equals(tenant)) {
        throw new IllegalStateException("anomaly store unreachable: connection refused");
      }
    }

    @Override
    public AnomalyPage<AnomalySummary> list(String tenant, AnomalyQuery query) {
      check(tenant);
      return delegate.list(tenant, query);
    }

    @Override
    public Optional<Anomaly> find(String tenant, String id) {
      check(tenant);
      return delegate.find(tenant, id);
    }

    @Override
    public void verify(String tenant, String id) {
      check(tenant);
      delegate.verify(tenant, id);
    }

    @Override
    public Anomaly updateStatus(String tenant, String id, StatusUpdateRequest request,
        String idempotencyKey) {
      check(tenant);
      return delegate.updateStatus(tenant, id, request, idempotencyKey);
    }
  }
}
