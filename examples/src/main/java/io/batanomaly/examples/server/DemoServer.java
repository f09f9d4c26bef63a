package io.batanomaly.examples.server;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.examples.demo.Demo;
import io.batanomaly.examples.demo.DemoScenario;
import io.batanomaly.examples.demo.Replay;
import io.batanomaly.examples.demo.SimulatedClock;
import io.batanomaly.spi.AnomalyIdGenerator;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyPage;
import io.batanomaly.api.AnomalyQuery;
import io.batanomaly.api.AnomalySummary;
import io.batanomaly.spi.AnomalyRepository;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
 * mvn -B -q -Pserver -DskipTests verify -Dserver.feed=none   (serve only what is stored)
 * </pre>
 *
 * <p>Triage is kept in a SQLite file ({@code --store}, by default
 * {@code examples/target/batanomaly-server.db} through Maven), or where
 * {@code ANOMALY_JDBC_URL} says, so a restart keeps what was triaged.
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

  /** The tenants of the demo stream, whose stored anomalies a restart finds. */
  static final List<String> TENANTS = List.of("acme-corp", "globex", "initech");

  /**
   * Runs the server until the process is stopped.
   *
   * @param args {@code [--port N] [--feed demo|none] [--store FILE|memory]}
   * @throws IOException if the port cannot be bound
   */
  public static void main(String[] args) throws IOException {
    int port = 8080;
    String feed = "demo";
    String store = DEFAULT_STORE;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--port") && i + 1 < args.length) {
        port = parsePort(args[++i]);
      } else if (args[i].equals("--feed") && i + 1 < args.length) {
        feed = args[++i].trim();
      } else if (args[i].equals("--store") && i + 1 < args.length) {
        store = args[++i].trim();
      } else if (!args[i].isBlank()) {
        usage("unexpected '" + args[i] + "'");
      }
    }
    if (!feed.equals("demo") && !feed.equals("none")) {
      usage("--feed must be demo or none, but was '" + feed + "'");
    }
    Running running = start(port, feed.equals("demo"), store, System.getenv(), System.out);
    Runtime.getRuntime().addShutdownHook(new Thread(running::close));
    try {
      Thread.currentThread().join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Where the server keeps its store when neither {@code --store} nor a JDBC URL is given. */
  static final String DEFAULT_STORE = "batanomaly-server.db";

  private static void usage(String problem) {
    System.err.println("usage: DemoServer [--port N] [--feed demo|none] [--store FILE|memory]: "
        + problem);
    System.exit(2);
  }

  /** A started server: its engine, HTTP server and live ticking. */
  static final class Running implements AutoCloseable {
    final AnomalyEngine engine;
    final AnomalyServer server;
    final SimulatedClock clock;
    private final ScheduledExecutorService live;

    Running(AnomalyEngine engine, AnomalyServer server, SimulatedClock clock,
        ScheduledExecutorService live) {
      this.engine = engine;
      this.server = server;
      this.clock = clock;
      this.live = live;
    }

    @Override
    public void close() {
      live.shutdownNow();
      server.close();
      engine.close();
    }
  }

  /**
   * Starts the server. The anomaly store is {@code ANOMALY_JDBC_URL} when the environment sets
   * it, else the SQLite file {@code store} (created if missing), or memory for
   * {@code "memory"}. The demo stream is replayed ({@code feed}) only into an empty store: over
   * a store that already holds anomalies, the server serves what is stored and simulated time
   * goes on from its latest activity, so a restart never replays what was triaged.
   *
   * @param port the port, 0 for any
   * @param feed whether to replay the demo stream into an empty store
   * @param store a SQLite file, or {@code "memory"}
   * @param environment the {@code ANOMALY_*} and {@code BATANOMALY_TOKENS} variables
   * @param out where to print what happens
   * @return the running server, ticking every second
   * @throws IOException if the port cannot be bound
   */
  static Running start(int port, boolean feed, String store, Map<String, String> environment,
      PrintStream out) throws IOException {
    String table = environment.get(TOKENS_VARIABLE);
    BearerTokens tokens = BearerTokens.parse(table == null || table.isBlank()
        ? BearerTokens.DEMO_TABLE : table);
    AnomalyConfig config = Demo.config(environment);
    String url = config.raw("ANOMALY_JDBC_URL");
    if ((url == null || url.isBlank()) && !store.equals("memory")) {
      Path file = Path.of(store).toAbsolutePath();
      Files.createDirectories(file.getParent());
      config = config.toBuilder().set("ANOMALY_JDBC_URL", "jdbc:sqlite:" + file).build();
    }
    SimulatedClock clock = new SimulatedClock(DemoScenario.START);
    AnomalyEngine engine = engine(config, clock, Executors.newFixedThreadPool(2, daemon()));
    Instant latest = latestActivity(engine);
    AnomalyServer server;
    try {
      server = AnomalyServer.start(engine.anomalies(), tokens, new InetSocketAddress(port));
    } catch (IOException | RuntimeException e) {
      engine.close();
      throw e;
    }
    out.println("Anomaly store: " + engine.storeDescription());
    printWelcome(server.port(), engine, tokens.principals().keySet().stream().toList(), out);
    if (latest != null) {
      clock.advanceTo(latest.toEpochMilli());
      out.println("The store holds anomalies up to " + latest + "; serving what is stored"
          + (feed ? " (the demo stream is replayed into an empty store only)." : "."));
    } else if (feed) {
      Replay replay = new Replay(engine, clock, p -> { }, Duration.ofSeconds(1));
      DemoScenario scenario = DemoScenario.standard();
      Replay.Stats stats = replay.play(ServerStream.events(scenario.end()), scenario.end(),
          scenario.actions());
      out.printf("Replayed %,d events in %.1f s; %d anomalies opened. Simulated time now"
          + " follows the wall clock.%n", stats.events(), stats.wall().toMillis() / 1000.0,
          engine.health().anomaliesOpened());
    } else {
      out.println("The store is empty and the demo feed is off: nothing to serve yet.");
    }
    out.flush();
    ScheduledExecutorService live = Executors.newSingleThreadScheduledExecutor(daemon());
    live.scheduleAtFixedRate(() -> {
      clock.advanceTo(clock.millis() + 1000);
      engine.tick();
    }, 1, 1, TimeUnit.SECONDS);
    return new Running(engine, server, clock, live);
  }

  /** The latest finding or status change stored for the demo tenants, or null if none. */
  private static Instant latestActivity(AnomalyEngine engine) {
    Instant latest = null;
    for (String tenant : TENANTS) {
      int page = 0;
      AnomalyPage<AnomalySummary> p;
      do {
        p = engine.anomalies().list(tenant,
            new AnomalyQuery(null, AnomalyQuery.MAX_DAYS, page++, AnomalyQuery.MAX_SIZE));
        for (AnomalySummary s : p.content()) {
          Anomaly a = engine.anomalies().get(tenant, s.id());
          Instant at = AnomalyRepository.lastActivity(a);
          latest = latest == null || at.isAfter(latest) ? at : latest;
        }
      } while (page < p.totalPages());
    }
    return latest;
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
