package io.batanomaly.examples.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.batanomaly.api.TriageService;
import io.batanomaly.api.http.AnomalyHttpHandler;
import io.batanomaly.api.http.ApiPrincipal;
import io.batanomaly.api.http.ApiRequest;
import io.batanomaly.api.http.ApiResponse;
import io.batanomaly.api.http.DashboardHandler;
import io.batanomaly.api.http.JsonCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The anomaly endpoints on the JDK's {@link HttpServer}: the whole wiring a host needs is
 * {@link #exchange}, which turns an exchange into an {@link ApiRequest}, authenticates the bearer
 * token and writes the {@link ApiResponse} back. Besides the anomaly paths it serves the
 * Anomalies page ({@link DashboardHandler}, at {@code /dashboard/anomalies}, where {@code /}
 * redirects) and the OpenAPI document at {@code /openapi.json}.
 *
 * <p>Request bodies larger than {@value #MAX_BODY_BYTES} bytes are answered 413.
 */
public final class AnomalyServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AnomalyServer.class);

  /** The largest request body read. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  private final HttpServer server;
  private final ExecutorService executor;
  private final AnomalyHttpHandler handler;
  private final DashboardHandler dashboard;
  private final BearerTokens tokens;
  private final JsonCodec json;

  private AnomalyServer(HttpServer server, TriageService triage, BearerTokens tokens,
      JsonCodec json, DashboardHandler dashboard) {
    this.server = server;
    this.dashboard = dashboard;
    this.tokens = tokens;
    this.json = json;
    this.handler = new AnomalyHttpHandler(triage, json);
    AtomicInteger n = new AtomicInteger();
    this.executor = Executors.newFixedThreadPool(8, r -> {
      Thread t = new Thread(r, "anomaly-http-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::exchange);
  }

  /**
   * Starts a server.
   *
   * @param triage the triage service, usually {@code engine.anomalies()}
   * @param tokens the bearer tokens it accepts
   * @param address where to listen; port 0 picks a free port
   * @return the running server
   * @throws IOException if the address cannot be bound
   */
  public static AnomalyServer start(TriageService triage, BearerTokens tokens,
      InetSocketAddress address) throws IOException {
    return start(triage, tokens, address, DashboardHandler.create());
  }

  /**
   * Starts a server with the Anomalies page configured by the caller.
   *
   * @param triage the triage service, usually {@code engine.anomalies()}
   * @param tokens the bearer tokens it accepts
   * @param address where to listen; port 0 picks a free port
   * @param dashboard the Anomalies page
   * @return the running server
   * @throws IOException if the address cannot be bound
   */
  public static AnomalyServer start(TriageService triage, BearerTokens tokens,
      InetSocketAddress address, DashboardHandler dashboard) throws IOException {
    AnomalyServer s = new AnomalyServer(HttpServer.create(address, 0), triage, tokens,
        new JacksonJsonCodec(), dashboard);
    s.server.start();
    LOG.info("anomaly API listening on port {}", s.port());
    return s;
  }

  /** @return the Anomalies page the server serves */
  public DashboardHandler dashboard() {
    return dashboard;
  }

  /** @return the port the server listens on */
  public int port() {
    return server.getAddress().getPort();
  }

  void exchange(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      if (path.equals("/openapi.json") && exchange.getRequestMethod().equals("GET")) {
        try (InputStream in = TriageService.class.getResourceAsStream("openapi.json")) {
          write(exchange, new ApiResponse(200, Map.of("Content-Type", "application/json"),
              in.readAllBytes(), null));
        }
        return;
      }
      if (dashboard.handles(path)) {
        write(exchange, dashboard.handle(new ApiRequest(exchange.getRequestMethod(), path,
            null, exchange.getRequestHeaders(), null, null)));
        return;
      }
      if (path.equals("/") && exchange.getRequestMethod().equals("GET")) {
        write(exchange, new ApiResponse(302, Map.of("Location", dashboard.pagePath()),
            new byte[0], null));
        return;
      }
      if (!AnomalyHttpHandler.handles(path)) {
        write(exchange, error(404, "Not Found", "No endpoint at '" + path + "'"));
        return;
      }
      byte[] body = readBody(exchange.getRequestBody());
      if (body == null) {
        write(exchange, error(413, "Content Too Large",
            "request body must be at most " + MAX_BODY_BYTES + " bytes"));
        return;
      }
      ApiPrincipal principal =
          tokens.authenticate(exchange.getRequestHeaders().get("Authorization"));
      ApiResponse response = handler.handle(new ApiRequest(exchange.getRequestMethod(), path,
          exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders(), body,
          principal));
      if (response.failure() != null) {
        LOG.error("{} {} failed", exchange.getRequestMethod(), path, response.failure());
      }
      write(exchange, response);
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not answer {} {}", exchange.getRequestMethod(), exchange.getRequestURI(),
          e);
      throw e;
    }
  }

  private static byte[] readBody(InputStream in) throws IOException {
    byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
    return body.length > MAX_BODY_BYTES ? null : body;
  }

  private ApiResponse error(int status, String reason, String message) {
    return new ApiResponse(status, Map.of("Content-Type", "application/json"),
        json.write(new io.batanomaly.api.ErrorBody(status, reason, message)), null);
  }

  private static void write(HttpExchange exchange, ApiResponse response) throws IOException {
    response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    byte[] body = response.body();
    exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** Stops listening, waiting at most one second for requests in progress. */
  @Override
  public void close() {
    server.stop(1);
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return "AnomalyServer[port=" + port() + "]";
  }
}
