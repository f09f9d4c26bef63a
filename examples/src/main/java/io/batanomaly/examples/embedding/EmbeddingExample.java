package io.batanomaly.examples.embedding;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.BatchingIngester;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;

/**
 * The shortest realistic embedding: a small JDK {@code HttpServer} application whose requests
 * an {@link AuditFilter} turns into audit events, batched by a {@link BatchingIngester} into an
 * engine configured from {@code ANOMALY_*} environment variables, with a listener that logs each
 * anomaly. Run it with
 *
 * <pre>
 * mvn -B -q -Pdemo -DskipTests verify -Ddemo.main=io.batanomaly.examples.embedding.EmbeddingExample
 * for i in $(seq 12); do curl -s -o /dev/null -X POST localhost:8081/login; done   # BRUTE_FORCE
 * </pre>
 *
 * <p>The application answers {@code POST /login} with 401 unless the header
 * {@code Authorization: Bearer letmein} is sent, {@code DELETE /items/…} with 204, {@code GET /}
 * with 200 and anything else with 404.
 */
public final class EmbeddingExample {
  private EmbeddingExample() {}

  /**
   * Wires an engine, a batching ingester and the audit filter into an HTTP server for the
   * application handler.
   *
   * @param environment the environment: {@code ANOMALY_*} settings, and {@code PORT} (default
   *     8081, 0 for any free port)
   * @param clock the clock of the engine and the filter
   * @return the running host; close it to stop
   * @throws IOException if the server cannot bind its port
   * @throws IllegalArgumentException if an {@code ANOMALY_*} value or {@code PORT} is invalid
   */
  public static Host start(Map<String, String> environment, InstantSource clock)
      throws IOException {
    String portText = environment.getOrDefault("PORT", "8081");
    int port;
    try {
      port = Integer.parseInt(portText.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("PORT must be a port number, but was '" + portText + "'",
          e);
    }
    AnomalyEngine engine = AnomalyEngine.builder()
        .config(AnomalyConfig.fromMap(environment))
        .clock(clock)
        // a host would log or page; printing keeps the example visible under "mvn -q"
        .listener(n -> System.out.printf("%s %s %s/%s (%s): %s%n", n.kind(), n.anomaly().type(),
            n.anomaly().tenant(), n.anomaly().subject(), n.anomaly().severity(),
            n.anomaly().summary()))
        .build();
    BatchingIngester ingester = new BatchingIngester(engine, 500, 50_000, Duration.ofSeconds(1));
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    HttpContext context = server.createContext("/", EmbeddingExample::application);
    context.getFilters().add(new AuditFilter("shop", "default", ingester, clock));
    server.start();
    return new Host(server, ingester, engine);
  }

  /**
   * A running host: the server, the ingester and the engine, closed in that order.
   *
   * @param server the HTTP server
   * @param ingester the batching ingester
   * @param engine the engine
   */
  public record Host(HttpServer server, BatchingIngester ingester, AnomalyEngine engine)
      implements AutoCloseable {

    /** @return the port the server listens on */
    public int port() {
      return server.getAddress().getPort();
    }

    /** Stops accepting requests, ingests what is buffered, and closes the engine. */
    @Override
    public void close() {
      server.stop(0);
      ingester.close();
      engine.close();
    }
  }

  static void application(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    int status;
    if (method.equals("POST") && path.equals("/login")) {
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      status = "Bearer letmein".equals(auth) ? 200 : 401;
    } else if (method.equals("DELETE") && path.startsWith("/items/")) {
      status = 204;
    } else if (method.equals("GET") && path.equals("/")) {
      status = 200;
    } else {
      status = 404;
    }
    byte[] body = (status + "\n").getBytes(StandardCharsets.UTF_8);
    if (status == 204) {
      exchange.sendResponseHeaders(204, -1);
    } else {
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
    }
    exchange.close();
  }

  /**
   * Starts the example on {@code PORT} (default 8081) and runs until the process is stopped.
   *
   * @param args ignored
   * @throws IOException if the server cannot bind its port
   */
  public static void main(String[] args) throws IOException {
    Host host = start(System.getenv(), InstantSource.system());
    Runtime.getRuntime().addShutdownHook(new Thread(host::close, "shutdown"));
    System.out.printf("Listening on http://localhost:%d/ with detectors %s; stop with Ctrl-C%n",
        host.port(), host.engine().detectorNames());
  }
}
