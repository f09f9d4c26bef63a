package io.batanomaly.detectors.performancedegradation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.Outcome;
import io.batanomaly.Setting;
import io.batanomaly.api.Anomaly;
import io.batanomaly.detectors.PolicyEvents;
import io.batanomaly.spi.Detector;
import io.batanomaly.spi.DetectorContext;
import io.batanomaly.spi.DetectorProvider;
import io.batanomaly.spi.Finding;
import io.batanomaly.spi.FindingSink;
import io.batanomaly.spi.Reevaluation;
import io.batanomaly.spi.ServiceScope;
import io.batanomaly.testkit.ManualClock;
import io.batanomaly.testkit.Scenario;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Replays the NAB series {@code realKnownCause/ec2_request_latency_system_failure.csv} (request
 * latency of an EC2 instance, one 5-minute average per row, three labelled anomaly windows) as
 * the execution times of one policy version, through an engine running only the
 * PERFORMANCE_DEGRADATION detector with its default settings.
 *
 * <p>Each row becomes {@value #PER_ROW} evaluations spread evenly over its 5 minutes, with
 * execution times log-normally scattered (sigma {@value #SIGMA}, fixed seed) around the row's
 * value. The row is an average over many requests; a policy version is evaluated many times in
 * five minutes, and the detector needs a distribution per window (at least 50 samples by
 * default) to compute percentiles, not a single number. The scatter is small next to the
 * series' own variation, and the same for every row, so it adds no anomaly.
 */
@Timeout(300)
class NabLatencyReplayTest {

  static final int PER_ROW = 60;
  static final double SIGMA = 0.1;
  private static final String SERIES = "realKnownCause/ec2_request_latency_system_failure.csv";
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS]");

  record Row(Instant at, double value) {}

  record Window(Instant start, Instant end) {
    boolean contains(Instant t) {
      return !t.isBefore(start) && !t.isAfter(end);
    }
  }

  /** A finding as the detector reported it, with the engine time of the report. */
  record Detection(Instant reportedAt, Instant windowStart, Instant windowEnd, double ratio,
      double meanRatio, double p95, double baselineP95) {}

  @Test
  void firstDetectionOfALabelledLatencyFailureFallsInsideItsWindow() throws IOException {
    List<Row> rows = rows();
    List<Window> labels = labels();
    assertThat(rows).hasSize(4032);
    assertThat(labels).hasSize(3);

    List<Detection> detections = replay(rows, AnomalyConfig.defaults());

    List<List<Detection>> episodes = episodes(detections);
    StringBuilder report = new StringBuilder("NAB replay of " + SERIES + ": "
        + episodes.size() + " detection episode(s)\n");
    for (List<Detection> episode : episodes) {
      Detection first = episode.get(0);
      Window inside = labels.stream().filter(w -> w.contains(first.reportedAt())).findFirst()
          .orElse(null);
      report.append(String.format(java.util.Locale.ROOT,
          "  first reported %s for window %s..%s, %d consecutive window(s), p95 %.1f ms vs"
              + " baseline %.1f ms (ratio %.2f, mean ratio %.2f), %s%n",
          first.reportedAt(), first.windowStart(), first.windowEnd(), episode.size(),
          first.p95(), first.baselineP95(), first.ratio(), first.meanRatio(),
          inside == null ? "outside every labelled window"
              : "inside labelled window " + inside.start() + ".." + inside.end()));
    }
    for (Detection d : detections) {
      report.append(String.format(java.util.Locale.ROOT,
          "    finding reported %s: window %s..%s, p95 %.1f ms vs %.1f ms, ratio %.2f, mean ratio"
              + " %.2f%n", d.reportedAt(), d.windowStart(), d.windowEnd(), d.p95(),
          d.baselineP95(), d.ratio(), d.meanRatio()));
    }
    for (Window w : labels) {
      boolean hit = episodes.stream().anyMatch(e -> w.contains(e.get(0).reportedAt()));
      report.append("  labelled window ").append(w.start()).append("..").append(w.end())
          .append(hit ? ": detected" : ": not detected").append('\n');
    }
    System.out.print(report);

    assertThat(labels).as(report.toString()).anySatisfy(w -> {
      Detection firstInOrAfter = detections.stream()
          .filter(d -> !d.reportedAt().isBefore(w.start())).findFirst().orElse(null);
      assertThat(firstInOrAfter).isNotNull();
      assertThat(w.contains(firstInOrAfter.reportedAt())).isTrue();
    });
    assertThat(episodes).as(report.toString()).hasSize(1);
    Detection first = detections.get(0);
    assertThat(first.windowStart()).isEqualTo(Instant.parse("2014-03-18T22:40:00Z"));
    assertThat(first.windowEnd()).isEqualTo(Instant.parse("2014-03-18T22:45:00Z"));
    assertThat(first.reportedAt()).isBetween(Instant.parse("2014-03-18T22:45:20Z"),
        Instant.parse("2014-03-18T22:45:22Z"));
    assertThat(first.p95()).isCloseTo(111.6, within(0.05));
    assertThat(first.baselineP95()).isCloseTo(60.2, within(0.05));
    assertOnlyInside(detections, labels);
  }

  @Test
  void aLowerRatioAlsoCatchesTheThirdLabelledWindowAndStillNothingOutside() throws IOException {
    List<Window> labels = labels();
    List<Detection> detections = replay(rows(), AnomalyConfig.defaults().toBuilder()
        .set("ANOMALY_PERFORMANCE_RATIO", "1.25").build());
    System.out.print("NAB replay at ratio 1.25: " + detections + "\n");

    assertOnlyInside(detections, labels);
    Detection second = detections.stream().filter(d -> labels.get(1).contains(d.reportedAt()))
        .findFirst().orElseThrow();
    assertThat(second.reportedAt()).isBetween(Instant.parse("2014-03-18T22:40:20Z"),
        Instant.parse("2014-03-18T22:40:22Z"));
    assertThat(second.ratio()).isCloseTo(1.373, within(0.001));
    Detection third = detections.stream().filter(d -> labels.get(2).contains(d.reportedAt()))
        .findFirst().orElseThrow();
    assertThat(third.reportedAt()).isBetween(Instant.parse("2014-03-21T03:40:20Z"),
        Instant.parse("2014-03-21T03:40:22Z"));
    assertThat(third.ratio()).isCloseTo(1.345, within(0.001));
  }

  private static void assertOnlyInside(List<Detection> detections, List<Window> labels) {
    assertThat(detections).as("findings reported outside every labelled window")
        .allSatisfy(d -> assertThat(labels).anySatisfy(
            w -> assertThat(w.contains(d.reportedAt())).isTrue()));
  }

  /** Plays the series, {@value #PER_ROW} evaluations a row, and returns every finding. */
  private static List<Detection> replay(List<Row> rows, AnomalyConfig config) {
    List<AuditEvent> events = new ArrayList<>(rows.size() * PER_ROW);
    Random scatter = new Random(2014);
    for (Row row : rows) {
      for (int k = 0; k < PER_ROW; k++) {
        double millis = row.value() * Math.exp(SIGMA * scatter.nextGaussian());
        events.add(PolicyEvents.evaluation("ec2", "v1", row.at().plusSeconds(5L * k),
            Outcome.SUCCESS, millis));
      }
    }
    List<Detection> detections = Collections.synchronizedList(new ArrayList<>());
    ManualClock clock = new ManualClock(rows.get(0).at());
    try (AnomalyEngine engine = AnomalyEngine.builder()
        .config(config)
        .clock(clock)
        .discoverDetectors(false)
        .detector(new Recording(new PerformanceDegradationDetectorProvider(), clock, detections))
        .autoTick(false)
        .verificationExecutor(Runnable::run)
        .build()) {
      Scenario.of(events).play(engine, clock);
    }
    return detections;
  }

  /** Groups findings of consecutive windows: one episode per run of degraded windows. */
  private static List<List<Detection>> episodes(List<Detection> detections) {
    List<List<Detection>> episodes = new ArrayList<>();
    List<Detection> current = null;
    for (Detection d : detections) {
      if (current == null
          || !current.get(current.size() - 1).windowEnd().equals(d.windowStart())) {
        current = new ArrayList<>();
        episodes.add(current);
      }
      current.add(d);
    }
    return episodes;
  }

  private static List<Row> rows() throws IOException {
    List<Row> rows = new ArrayList<>();
    try (BufferedReader in = reader("ec2_request_latency_system_failure.csv")) {
      String line = in.readLine(); // header
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        String[] cells = line.split(",");
        rows.add(new Row(instant(cells[0]), Double.parseDouble(cells[1])));
      }
    }
    return rows;
  }

  private static List<Window> labels() throws IOException {
    StringBuilder json = new StringBuilder();
    try (BufferedReader in = reader("combined_windows_ec2_request_latency_system_failure.json")) {
      in.lines().forEach(json::append);
    }
    assertThat(json.toString()).contains(SERIES);
    Matcher m = Pattern.compile("\\[\\s*\"([^\"]+)\"\\s*,\\s*\"([^\"]+)\"\\s*]").matcher(json);
    List<Window> windows = new ArrayList<>();
    while (m.find()) {
      windows.add(new Window(instant(m.group(1)), instant(m.group(2))));
    }
    return windows;
  }

  private static Instant instant(String stamp) {
    return LocalDateTime.parse(stamp.trim(), STAMP).toInstant(ZoneOffset.UTC);
  }

  private static BufferedReader reader(String name) {
    InputStream in = NabLatencyReplayTest.class.getResourceAsStream("/nab/" + name);
    assertThat(in).as("test resource /nab/" + name).isNotNull();
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }

  /** Runs a provider's detector and keeps every finding it reports, with the engine time. */
  private static final class Recording implements DetectorProvider {
    private final DetectorProvider inner;
    private final ManualClock clock;
    private final List<Detection> detections;

    Recording(DetectorProvider inner, ManualClock clock, List<Detection> detections) {
      this.inner = inner;
      this.clock = clock;
      this.detections = detections;
    }

    @Override
    public String name() {
      return inner.name();
    }

    @Override
    public List<Setting<?>> settings() {
      return inner.settings();
    }

    @Override
    public Detector create(DetectorContext context) {
      Detector d = inner.create(context);
      return new Detector() {
        @Override
        public Set<String> types() {
          return d.types();
        }

        @Override
        public void observe(AuditEvent event, ServiceScope scope, FindingSink sink) {
          d.observe(event, scope, recording(sink));
        }

        @Override
        public void tick(long nowMillis, FindingSink sink) {
          d.tick(nowMillis, recording(sink));
        }

        @Override
        public Reevaluation reevaluate(Anomaly anomaly, long nowMillis) {
          return d.reevaluate(anomaly, nowMillis);
        }

        @Override
        public Map<String, Long> stats() {
          return d.stats();
        }
      };
    }

    private FindingSink recording(FindingSink sink) {
      return new FindingSink() {
        @Override
        public void report(Finding f) {
          detections.add(new Detection(clock.instant(), (Instant) f.metrics().get("windowStart"),
              (Instant) f.metrics().get("windowEnd"), number(f, "ratio"),
              number(f, "meanRatio"), number(f, "p95Millis"), number(f, "baselineP95Millis")));
          sink.report(f);
        }

        @Override
        public void clear(String tenant, String type, String subject, String reason) {
          sink.clear(tenant, type, subject, reason);
        }
      };
    }

    private static double number(Finding f, String metric) {
      return ((Number) f.metrics().get(metric)).doubleValue();
    }
  }
}
