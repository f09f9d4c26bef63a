package io.batanomaly.examples.server;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.examples.demo.Demo;
import io.batanomaly.examples.demo.DemoScenario;
import io.batanomaly.examples.demo.Replay;
import io.batanomaly.examples.demo.SimulatedClock;
import io.batanomaly.spi.AnomalyIdGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The example HTTP server: an engine fed with the demo stream, behind the documented anomaly
 * endpoints.
 *
 * <pre>
 * mvn -B -q -Pserver -DskipTests verify                      (from the project root; port 8080)
 * mvn -B -q -Pserver -DskipTests verify -Dserver.port=9090
 * </pre>
 *
 * <p>At start it replays the three simulated hours of {@link ServerStream} (the demo scenario
 * plus acme-corp's failing {@code payments/authorize v7}) in accelerated time while it already
 * answers requests; from then on simulated time follows the wall clock, with an engine tick
 * every second, so verification, timeouts and idempotency expiry run as they would live.
 *
 * <p>Bearer tokens come from {@code BATANOMALY_TOKENS} (see {@link BearerTokens}); without it
 * the server accepts the demo tokens of {@link BearerTokens#DEMO_TABLE}. {@code ANOMALY_*}
 * variables configure the engine, as for the demo.
 */
public final class DemoServer {
  private DemoServer() {}

  /** The environment variable holding the token table. */
  public static final String TOKENS_VARIABLE = "BATANOMALY_TOKENS";

  /**
   * Builds the engine the server runs: every detector on the class path, on the given clock,
   * ticked by its caller.
   *
   * @param config the configuration
   * @param clock the engine clock
   * @param verificationExecutor where verification jobs run
   * @return the engine
   */
  public static AnomalyEngine engine(AnomalyConfig config, SimulatedClock clock,
      Executor verificationExecutor) {
    return AnomalyEngine.builder().config(config).clock(clock).autoTick(false)
        .verificationExecutor(verificationExecutor).idGenerator(specIds()).build();
  }

  /** The id the documentation's examples use, {@value}. */
  public static final String SPEC_ANOMALY_ID = "anom-xyz789";

  /**
   * Ids as the engine makes them, except that the first anomaly of the documentation's own
   * incident (acme-corp's payments/authorize v7 failing) gets the documentation's example id,
   * so its {@code curl} commands work with only the host and token changed.
   */
  private static AnomalyIdGenerator specIds() {
    AnomalyIdGenerator random = AnomalyIdGenerator.random();
    AtomicBoolean given = new AtomicBoolean();
    return finding -> ServerStream.TENANT.equals(finding.tenant())
        && "HIGH_FAILURE_RATE".equals(finding.type())
        && ServerStream.VERSION.equals(finding.versionId())
        && given.compareAndSet(false, true) ? SPEC_ANOMALY_ID : random.newId(finding);
  }

  /**
   * Runs the server until the process is stopped.
   *
   * @param args {@code [--port N]}
   * @throws IOException if the port cannot be bound
   */
  public static void main(String[] args) throws IOException {
    int port = 8080;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--port") && i + 1 < args.length) {
        port = parsePort(args[++i]);
      } else if (!args[i].isBlank()) {
        System.err.println("usage: DemoServer [--port N], but got '" + args[i] + "'");
        System.exit(2);
      }
    }
    String table = System.getenv(TOKENS_VARIABLE);
    BearerTokens tokens = BearerTokens.parse(table == null || table.isBlank()
        ? BearerTokens.DEMO_TABLE : table);
    AnomalyConfig config = Demo.config(System.getenv());
    SimulatedClock clock = new SimulatedClock(DemoScenario.START);
    AnomalyEngine engine = engine(config, clock, Executors.newFixedThreadPool(2, daemon()));
    AnomalyServer server = AnomalyServer.start(engine.anomalies(), tokens,
        new InetSocketAddress(port));
    printWelcome(server.port(), engine, tokens.principals().keySet().stream().toList(),
        System.out);
    ScheduledExecutorService live = Executors.newSingleThreadScheduledExecutor(daemon());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      live.shutdownNow();
      server.close();
      engine.close();
    }));
    Replay replay = new Replay(engine, clock, p -> { }, Duration.ofSeconds(1));
    DemoScenario scenario = DemoScenario.standard();
    Replay.Stats stats = replay.play(ServerStream.events(scenario.end()), scenario.end(),
        scenario.actions());
    System.out.printf("Replayed %,d events in %.1f s; %d anomalies opened. Simulated time now"
        + " follows the wall clock.%n", stats.events(), stats.wall().toMillis() / 1000.0,
        engine.health().anomaliesOpened());
    live.scheduleAtFixedRate(() -> {
      clock.advanceTo(clock.millis() + 1000);
      engine.tick();
    }, 1, 1, TimeUnit.SECONDS);
    try {
      Thread.currentThread().join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int parsePort(String text) {
    try {
      int port = Integer.parseInt(text.trim());
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    System.err.println("--port must be a number from 0 to 65535, but was '" + text + "'");
    System.exit(2);
    return -1;
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    return r -> {
      Thread t = new Thread(r, "demo-server");
      t.setDaemon(true);
      return t;
    };
  }

  private static void printWelcome(int port, AnomalyEngine engine, List<String> tokens,
      PrintStream out) {
    out.println("batanomaly example server on http://localhost:" + port);
    out.println("Anomalies page: http://localhost:" + port + "/dashboard/anomalies");
    out.println("Detectors: " + String.join(", ", engine.detectorNames()));
    out.println("Tokens: " + String.join(", ", tokens));
    out.println("Try:");
    out.println("  curl -H \"Authorization: Bearer demo-admin-token\" -H \"X-Tenant-ID: "
        + ServerStream.TENANT + "\" \"http://localhost:" + port
        + "/api/v1/audit/anomalies?type=HIGH_FAILURE_RATE&days=14&page=0&size=20\"");
    out.flush();
  }
}
