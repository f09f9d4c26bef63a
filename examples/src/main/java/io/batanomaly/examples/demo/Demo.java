package io.batanomaly.examples.demo;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.AnomalyNotification;
import io.batanomaly.AnomalySettings;
import io.batanomaly.AuditEvent;
import io.batanomaly.EngineHealth;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyPage;
import io.batanomaly.api.AnomalyQuery;
import io.batanomaly.api.AnomalySummary;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The batanomaly demo: replays a multi-tenant stream in accelerated time through an engine with
 * every detector on the class path, then prints the anomalies found and the engine's health.
 *
 * <pre>
 * mvn -B -q -Pdemo -DskipTests verify                                  # the default stream
 * mvn -B -q -Pdemo -DskipTests verify -Ddemo.args="--replay auth-log"  # a real sshd auth log
 * mvn -B -q -Pdemo -DskipTests verify -Ddemo.args="--replay nab"       # a NAB latency series
 * </pre>
 *
 * <p>The engine runs with {@code ANOMALY_COOLDOWN=1m}, as the documented demo does, and every
 * other setting at its default; {@code ANOMALY_*} environment variables override both.
 */
public final class Demo {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

  private static final String USAGE = String.join("\n",
      "usage: Demo [--replay synthetic|auth-log|nab] [--file PATH] [--seed N] [--quiet]",
      "  --replay synthetic  the default: 3 tenants, 3 h of traffic, an incident of each type",
      "  --replay auth-log   the real sshd auth log shipped with the demo (or --file PATH)",
      "  --replay nab        the NAB EC2 request-latency series shipped with the demo",
      "                      (or --file PATH to another NAB timestamp,value CSV)",
      "  --seed N            seed of the synthetic background traffic",
      "  --quiet             no progress lines and no live anomaly lines");

  private Demo() {}

  /**
   * What to replay and how much to print.
   *
   * @param replay {@code synthetic}, {@code auth-log} or {@code nab}
   * @param file a file to replay instead of the shipped one, or {@code null}
   * @param seed the seed of the synthetic stream
   * @param quiet whether to leave out progress and live anomaly lines
   */
  public record Options(String replay, Path file, long seed, boolean quiet) {

    /** @return the options of a plain run: the synthetic stream, default seed, verbose */
    public static Options defaults() {
      return new Options("synthetic", null, DemoScenario.SEED, false);
    }

    /**
     * Parses command-line arguments.
     *
     * @param args the arguments
     * @return the options
     * @throws IllegalArgumentException if an argument is unknown or a value is invalid; the
     *     message names it and the value given
     */
    public static Options parse(String... args) {
      String replay = "synthetic";
      Path file = null;
      long seed = DemoScenario.SEED;
      boolean quiet = false;
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--replay":
            replay = value(args, ++i, a);
            if (!Set.of("synthetic", "auth-log", "nab").contains(replay)) {
              throw new IllegalArgumentException(
                  "--replay must be synthetic, auth-log or nab, but was '" + replay + "'");
            }
            break;
          case "--file":
            file = Path.of(value(args, ++i, a));
            break;
          case "--seed":
            String s = value(args, ++i, a);
            try {
              seed = Long.parseLong(s);
            } catch (NumberFormatException e) {
              throw new IllegalArgumentException("--seed must be a whole number, but was '" + s
                  + "'", e);
            }
            break;
          case "--quiet":
            quiet = true;
            break;
          default:
            throw new IllegalArgumentException("unknown argument '" + a + "'");
        }
      }
      if (file != null && replay.equals("synthetic")) {
        throw new IllegalArgumentException(
            "--file needs --replay auth-log or --replay nab, but --replay was 'synthetic'");
      }
      return new Options(replay, file, seed, quiet);
    }

    private static String value(String[] args, int i, String name) {
      if (i >= args.length || args[i].isBlank()) {
        throw new IllegalArgumentException(name + " needs a value, but none was given");
      }
      return args[i];
    }

    ReplaySource source() {
      switch (replay) {
        case "auth-log":
          return ReplaySource.authLog(file);
        case "nab":
          return ReplaySource.nab(file);
        default:
          return ReplaySource.synthetic(seed);
      }
    }
  }

  /**
   * Runs the demo.
   *
   * @param args see {@link Options#parse}; {@code --help} prints the usage
   */
  public static void main(String[] args) {
    if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.println(USAGE);
      return;
    }
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    run(options, System.out);
  }

  /**
   * Returns the configuration the demo runs with: {@code ANOMALY_COOLDOWN=1m}, overridden by
   * any {@code ANOMALY_*} entry of {@code environment}.
   *
   * @param environment the environment, such as {@link System#getenv()}
   * @return the configuration
   */
  public static AnomalyConfig config(Map<String, String> environment) {
    AnomalyConfig.Builder b = AnomalyConfig.defaults().toBuilder()
        .set(AnomalySettings.COOLDOWN.key(), "1m");
    AnomalyConfig.fromMap(environment).asMap().forEach(b::set);
    return b.build();
  }

  /**
   * Runs one replay and prints what it shows.
   *
   * @param options what to replay
   * @param out where to print
   * @return what the run found
   * @throws IllegalArgumentException if an {@code ANOMALY_*} environment variable is invalid
   */
  public static DemoReport run(Options options, PrintStream out) {
    ReplaySource source = options.source();
    AnomalyConfig config = config(System.getenv());
    SimulatedClock clock = new SimulatedClock(source.start());
    AnomalyEngine.Builder builder = AnomalyEngine.builder().config(config).clock(clock)
        .autoTick(false);
    if (!options.quiet()) {
      builder.listener(n -> printNotification(n, out));
    }
    AnomalyEngine engine = builder.build();
    DemoReport report;
    try {
      printHeader(source, config, engine, out);
      Set<String> tenants = new LinkedHashSet<>();
      source.incidents().forEach(i -> tenants.add(i.tenant()));
      Iterator<AuditEvent> events = source.events().get();
      Iterator<AuditEvent> recording = new Iterator<>() {
        private String lastTenant;

        @Override
        public boolean hasNext() {
          return events.hasNext();
        }

        @Override
        public AuditEvent next() {
          AuditEvent e = events.next();
          if (!e.tenant().equals(lastTenant)) {
            lastTenant = e.tenant();
            tenants.add(lastTenant);
          }
          return e;
        }
      };
      Replay replay = new Replay(engine, clock,
          options.quiet() ? p -> { } : p -> printProgress(p, out), Duration.ofMillis(500));
      out.println("Replaying, one engine tick every " + Replay.TICK.toSeconds()
          + " s of simulated time:");
      Replay.Stats stats = replay.play(recording, source.end(), source.actions());
      List<Anomaly> anomalies = collect(engine, tenants);
      Set<String> types = new java.util.TreeSet<>();
      engine.detectorNames().forEach(name -> types.addAll(engine.detector(name).types()));
      report = new DemoReport(source, engine.detectorNames(), types, anomalies, engine.health(),
          stats);
    } finally {
      engine.close(); // delivers the notifications still queued before the table is printed
    }
    printSummary(report, out);
    return report;
  }

  private static List<Anomaly> collect(AnomalyEngine engine, Set<String> tenants) {
    List<Anomaly> all = new ArrayList<>();
    for (String tenant : tenants) {
      int page = 0;
      AnomalyPage<AnomalySummary> p;
      do {
        p = engine.anomalies().list(tenant,
            new AnomalyQuery(null, AnomalyQuery.MAX_DAYS, page++, AnomalyQuery.MAX_SIZE));
        for (AnomalySummary s : p.content()) {
          engine.anomalies().find(tenant, s.id()).ifPresent(all::add);
        }
      } while (page < p.totalPages());
    }
    all.sort(Comparator.comparing(Anomaly::detectedAt).thenComparing(Anomaly::type));
    return all;
  }

  private static void printHeader(ReplaySource source, AnomalyConfig config,
      AnomalyEngine engine, PrintStream out) {
    out.println();
    out.println("batanomaly demo: " + source.name() + " - " + source.description());
    out.println("Simulated time " + TIME.format(source.start()) + " to "
        + TIME.format(source.end()) + " UTC");
    out.println("Settings: " + config.asMap() + ", every other ANOMALY_* setting at its default");
    out.println("Detectors: " + String.join(", ", engine.detectorNames()));
    if (!source.incidents().isEmpty()) {
      out.println("Injected incidents:");
      for (Incident i : source.incidents()) {
        out.printf(Locale.ROOT, "  %s  %-24s %-10s %s%n", offset(source.start(), i.start()),
            i.type(), i.tenant(), i.description());
      }
    }
    if (!source.actions().isEmpty()) {
      out.println("Host actions:");
      for (Replay.ScheduledAction a : source.actions()) {
        out.printf(Locale.ROOT, "  %s  %s%n", offset(source.start(), a.at()), a.description());
      }
    }
    if (!source.labelledWindows().isEmpty()) {
      out.println("Windows the dataset labels as anomalous:");
      for (ReplaySource.LabelledWindow w : source.labelledWindows()) {
        out.println("  " + TIME.format(w.start()) + " to " + TIME.format(w.end()));
      }
    }
  }

  private static void printProgress(Replay.Progress p, PrintStream out) {
    out.printf(Locale.ROOT, "  [%5.1f s wall] simulated %s (+%s) | %,11d events | %,10.0f"
            + " events/s | %d anomalies%n",
        p.wallElapsed().toMillis() / 1000d, TIME.format(p.simulatedTime()),
        hours(p.simulatedElapsed()), p.events(), p.eventsPerSecond(), p.anomaliesOpened());
  }

  private static void printNotification(AnomalyNotification n, PrintStream out) {
    Anomaly a = n.anomaly();
    if (n.kind() == AnomalyNotification.Kind.OPENED) {
      out.printf(Locale.ROOT, "  >> %s opened  %s %s/%s (%s): %s%n",
          TIME.format(a.detectedAt()), a.type(), a.tenant(), a.subject(), a.severity(),
          a.summary());
    } else if (n.kind() == AnomalyNotification.Kind.STATUS_CHANGED && n.change() != null) {
      out.printf(Locale.ROOT, "  >> %s %-7s %s %s/%s%s%n", TIME.format(n.change().at()),
          n.change().to().name().toLowerCase(Locale.ROOT), a.type(), a.tenant(), a.subject(),
          n.change().note() == null ? "" : ": " + n.change().note());
    }
  }

  private static void printSummary(DemoReport report, PrintStream out) {
    Replay.Stats s = report.stats();
    out.printf(Locale.ROOT, "Done: %,d events (%,d rejected) in %.1f s wall: %,.0f events/s,"
            + " %,.0fx real time, %,d ticks%n", s.events(), s.rejected(),
        s.wall().toMillis() / 1000d, s.eventsPerSecond(), s.speedUp(), s.ticks());
    out.println();
    out.println("Anomalies found (" + report.anomalies().size() + "):");
    out.print(AnomalyTable.format(report.anomalies(), report.source()));
    ReplaySource source = report.source();
    if (!source.incidents().isEmpty()) {
      List<Incident> missed = report.missedIncidents();
      out.println();
      out.println((source.incidents().size() - missed.size()) + " of "
          + source.incidents().size() + " injected incidents detected"
          + (missed.isEmpty() ? "." : "; missed:"));
      missed.forEach(i -> out.println("  " + i.type() + " " + i.tenant() + "/" + i.subject()
          + ": " + i.description()));
      out.println(report.unexplainedAnomalies().size()
          + " anomalies match no injected incident.");
    }
    if (!source.labelledWindows().isEmpty()) {
      long inside = report.anomalies().stream().filter(a -> source.labelledWindows().stream()
          .anyMatch(w -> w.contains(a.detectedAt()))).count();
      long windowsHit = source.labelledWindows().stream().filter(w -> report.anomalies()
          .stream().anyMatch(a -> w.contains(a.detectedAt()))).count();
      out.println();
      out.println(inside + " of " + report.anomalies().size()
          + " anomalies were detected inside a labelled window; " + windowsHit + " of "
          + source.labelledWindows().size() + " labelled windows have a detection.");
    }
    out.println();
    printHealth(report.health(), out);
  }

  private static void printHealth(EngineHealth h, PrintStream out) {
    out.println("Engine health at " + TIME.format(h.at()) + " UTC (simulated):");
    out.printf(Locale.ROOT, "  events accepted %,d, rejected %,d %s, batches %,d%n",
        h.eventsAccepted(), h.eventsRejectedTotal(), new TreeMap<>(h.eventsRejected()),
        h.batches());
    out.printf(Locale.ROOT, "  tenants %d, services %d, scopes evicted %d%n",
        h.tenantsTracked(), h.servicesTracked(), h.scopesEvicted());
    out.printf(Locale.ROOT, "  anomalies opened %d, active %d, findings deduplicated %,d,"
            + " suppressed by cooldown %,d%n", h.anomaliesOpened(), h.anomaliesActive(),
        h.findingsDeduplicated(), h.findingsSuppressed());
    out.printf(Locale.ROOT, "  verifications pending %d, failed %d; listener queue %d, dropped"
            + " %d, listener failures %d; detector errors %d%n", h.verificationsPending(),
        h.verificationsFailed(), h.listenerQueueDepth(), h.notificationsDropped(),
        h.listenerFailures(), h.detectorErrors());
    new TreeMap<>(h.detectors()).forEach((name, stats) ->
        out.printf(Locale.ROOT, "  %-24s %s%n", name, new TreeMap<>(stats)));
  }

  private static String offset(Instant start, Instant t) {
    return "+" + hours(Duration.between(start, t));
  }

  private static String hours(Duration d) {
    long minutes = d.toMinutes();
    if (minutes >= 48 * 60) {
      return String.format(Locale.ROOT, "%dd %02dh", minutes / 1440, (minutes % 1440) / 60);
    }
    return String.format(Locale.ROOT, "%d:%02d", minutes / 60, minutes % 60);
  }
}
