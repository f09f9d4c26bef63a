package io.batanomaly.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.batanomaly.notify.WebhookSignature;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A host JVM on a SQLite file, and one on PostgreSQL, is killed with SIGKILL while its webhook deliveries are pending
 * and the receiver is down; it is started again, and then the receiver comes back: every
 * notification arrives at both targets (the all-tenant one of {@code ANOMALY_WEBHOOK_URLS} and
 * the tenant's own, registered before the crash and kept in the database), signed with each
 * target's secret, and no anomaly's notification ever arrives under two different ids.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CrashRestartTest {
  private static final int ANOMALIES = 20;
  private static final String OPERATOR_SECRET = WebhookSignature.newSecret();
  private static final String TENANT_SECRET = WebhookSignature.newSecret();

  /** One request as the receiver saw it. */
  private record Received(String path, String id, String timestamp, String signature,
      String body) {}

  @Test
  void onSqliteAHostKilledWhileTheReceiverIsDownDeliversEverythingOnceItIsBack()
      throws Exception {
    Path dir = Files.createTempDirectory("batanomaly-crash");
    try {
      crashAndRestart("jdbc:sqlite:" + dir.resolve("host.db"));
    } finally {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  @Test
  void onPostgresqlAHostKilledWhileTheReceiverIsDownDeliversEverythingOnceItIsBack()
      throws Exception {
    TestPostgres pg = TestPostgres.get();
    crashAndRestart(pg.url(pg.newSchema()));
  }

  private void crashAndRestart(String url) throws Exception {
    int port = freePort();
    Map<String, String> env = Map.of("ANOMALY_JDBC_URL", url,
        "ANOMALY_WEBHOOK_URLS", "http://127.0.0.1:" + port + "/ops",
        "ANOMALY_WEBHOOK_SECRET", OPERATOR_SECRET,
        "ANOMALY_WEBHOOK_INITIAL_BACKOFF", "200ms",
        "ANOMALY_WEBHOOK_MAX_BACKOFF", "1s",
        "ANOMALY_WEBHOOK_MAX_ATTEMPTS", "1000",
        "ANOMALY_WEBHOOK_REQUEST_TIMEOUT", "5s",
        "TENANT_SECRET", TENANT_SECRET);

    Process first = host(env, "produce", Integer.toString(ANOMALIES),
        "http://127.0.0.1:" + port + "/tenant");
    BufferedReader firstOut = reader(first);
    assertThat(firstOut.readLine()).isEqualTo("PENDING " + 2 * ANOMALIES);
    first.destroyForcibly();  // SIGKILL
    assertThat(first.waitFor()).isEqualTo(137);

    Process second = host(env, "resume", Integer.toString(2 * ANOMALIES));
    BufferedReader secondOut = reader(second);
    assertThat(secondOut.readLine()).isEqualTo("RESUMED " + 2 * ANOMALIES);

    List<Received> received = new CopyOnWriteArrayList<>();
    HttpServer receiver = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    receiver.createContext("/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      received.add(new Received(exchange.getRequestURI().getPath(),
          exchange.getRequestHeaders().getFirst("webhook-id"),
          exchange.getRequestHeaders().getFirst("webhook-timestamp"),
          exchange.getRequestHeaders().getFirst("webhook-signature"), body));
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    receiver.start();
    try {
      assertThat(secondOut.readLine()).isEqualTo("DONE " + 2 * ANOMALIES);
      assertThat(second.waitFor()).isZero();
    } finally {
      receiver.stop(0);
      second.destroyForcibly();
    }

    for (String path : List.of("/ops", "/tenant")) {
      String secret = path.equals("/ops") ? OPERATOR_SECRET : TENANT_SECRET;
      List<Received> at = received.stream().filter(r -> r.path().equals(path)).toList();
      Map<String, Set<String>> idsByAnomaly = new HashMap<>();
      for (Received r : at) {
        assertThat(WebhookSignature.verify(secret, r.id(), r.timestamp(), r.body(),
            r.signature(), Duration.ofMinutes(5), Instant.now())).as("signature").isTrue();
        String anomaly = r.body().replaceAll("(?s).*\"anomaly\":\\{\"id\":\"([^\"]+)\".*", "$1");
        idsByAnomaly.computeIfAbsent(anomaly, k -> new HashSet<>()).add(r.id());
      }
      assertThat(idsByAnomaly).as("anomalies notified at %s", path).hasSize(ANOMALIES);
      assertThat(idsByAnomaly.values()).as("ids per anomaly at %s", path)
          .allSatisfy(ids -> assertThat(ids).hasSize(1));
    }
  }

  private static Process host(Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), CrashHost.class.getName()));
    command.addAll(List.of(args));
    // the host's log goes to the test's output
    ProcessBuilder pb = new ProcessBuilder(command).redirectError(Redirect.INHERIT);
    pb.environment().keySet().removeIf(k -> k.startsWith("ANOMALY_"));
    pb.environment().putAll(env);
    return pb.start();
  }

  private static BufferedReader reader(Process p) {
    return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
