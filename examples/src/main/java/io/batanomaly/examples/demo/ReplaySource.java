package io.batanomaly.examples.demo;

import io.batanomaly.AuditEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the demo replays: a time-ordered stream of events over a span of simulated time, with
 * what is known about it (the incidents injected into it, or the windows a dataset labels as
 * anomalous).
 *
 * @param name a short name, such as {@code synthetic}
 * @param description one line saying what the stream is
 * @param start where simulated time starts
 * @param end where simulated time ends (the replay runs on, ticking, after the last event)
 * @param events supplies the events, in time order
 * @param incidents incidents injected into the stream, empty for a real log
 * @param actions what the stream does to the engine along the way, as a host would
 * @param labelledWindows spans a dataset labels as anomalous, empty when there are none
 */
public record ReplaySource(String name, String description, Instant start, Instant end,
    Supplier<Iterator<AuditEvent>> events, List<Incident> incidents,
    List<Replay.ScheduledAction> actions, List<LabelledWindow> labelledWindows) {

  /**
   * Creates a source.
   *
   * @throws NullPointerException if any argument is null
   */
  public ReplaySource {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    Objects.requireNonNull(events, "events");
    incidents = List.copyOf(incidents);
    actions = List.copyOf(actions);
    labelledWindows = List.copyOf(labelledWindows);
  }

  /**
   * A span a dataset labels as anomalous, both ends included.
   *
   * @param start the first instant of the span
   * @param end the last instant of the span
   */
  public record LabelledWindow(Instant start, Instant end) {
    /**
     * Tells whether an instant falls inside the span.
     *
     * @param t the instant
     * @return {@code true} if {@code start <= t <= end}
     */
    public boolean contains(Instant t) {
      return !t.isBefore(start) && !t.isAfter(end);
    }
  }

  /**
   * The demo's default stream: {@link DemoScenario#standard()}.
   *
   * @param seed the seed of the background traffic
   * @return the source
   */
  public static ReplaySource synthetic(long seed) {
    DemoScenario s = DemoScenario.standard(seed);
    return new ReplaySource("synthetic",
        "3 tenants, 16 services, 4 policies, " + DemoScenario.LENGTH.toHours()
            + " h of simulated traffic with one injected incident per anomaly type",
        s.start(), s.end(), s::events, s.incidents(), s.actions(), List.of());
  }

  /** The tenant a NAB series is replayed as. */
  public static final String NAB_TENANT = "nab";

  /** Evaluations each NAB row becomes: one every five seconds of its five minutes. */
  public static final int NAB_EVALUATIONS_PER_ROW = 60;

  /**
   * The sshd auth log of {@code elastic/examples}, shipped with the demo, or another log in the
   * same format.
   *
   * @param file a log to read instead of the shipped one, or {@code null}
   * @return the source
   * @throws UncheckedIOException if the log cannot be read
   * @throws IllegalArgumentException if a line is not a syslog line
   */
  public static ReplaySource authLog(Path file) {
    List<AuditEvent> events;
    try (Reader r = open(file, "auth.log")) {
      events = AuthLog.read(r, 2017);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the auth log " + where(file, "auth.log"), e);
    }
    if (events.isEmpty()) {
      throw new IllegalArgumentException("the auth log " + where(file, "auth.log")
          + " holds no events");
    }
    Instant start = events.get(0).timestamp();
    Instant end = events.get(events.size() - 1).timestamp().plus(Duration.ofMinutes(30));
    return new ReplaySource("auth-log", "real sshd/syslog auth log of one host ("
        + events.size() + " events, " + Duration.between(start, end).toDays()
        + " days; 401 per failed password, 200 per accepted login)",
        start, end, events::iterator, List.of(), List.of(), List.of());
  }

  /**
   * The NAB series {@code ec2_request_latency_system_failure.csv}, shipped with the demo with
   * its labelled windows, or another NAB series (then without labels).
   *
   * @param file a series to read instead of the shipped one, or {@code null}
   * @return the source
   * @throws UncheckedIOException if the series cannot be read
   * @throws IllegalArgumentException if a row is not {@code timestamp,value}
   */
  public static ReplaySource nab(Path file) {
    String shipped = "ec2_request_latency_system_failure.csv";
    List<AuditEvent> events;
    List<LabelledWindow> windows = new ArrayList<>();
    String name = file == null ? shipped : file.getFileName().toString();
    String function = name.endsWith(".csv") ? name.substring(0, name.length() - 4) : name;
    try (Reader r = open(file, shipped)) {
      events = NabSeries.read(r, NAB_TENANT, "nab", function, "v1", NAB_EVALUATIONS_PER_ROW);
      if (file == null) {
        try (java.io.BufferedReader w = new java.io.BufferedReader(
            open(null, "ec2_request_latency_system_failure.windows.csv"))) {
          w.lines().skip(1).filter(l -> !l.isBlank()).forEach(l -> {
            String[] parts = l.split(",");
            windows.add(new LabelledWindow(NabSeries.parseLabelTime(parts[0]),
                NabSeries.parseLabelTime(parts[1])));
          });
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the NAB series " + where(file, shipped), e);
    }
    if (events.isEmpty()) {
      throw new IllegalArgumentException("the NAB series " + where(file, shipped)
          + " holds no rows");
    }
    Instant start = events.get(0).timestamp();
    Instant end = events.get(events.size() - 1).timestamp().plusSeconds(10);
    return new ReplaySource("nab", "NAB series " + name + " as the execution times of one"
        + " policy version (" + events.size() / NAB_EVALUATIONS_PER_ROW + " rows, "
        + NAB_EVALUATIONS_PER_ROW + " evaluations per row)", start, end, events::iterator,
        List.of(), List.of(), windows);
  }

  private static Reader open(Path file, String resource) throws IOException {
    if (file != null) {
      return Files.newBufferedReader(file, StandardCharsets.UTF_8);
    }
    InputStream in = ReplaySource.class.getResourceAsStream("/demo/" + resource);
    if (in == null) {
      throw new IOException("resource /demo/" + resource + " is missing from the classpath");
    }
    return new InputStreamReader(in, StandardCharsets.UTF_8);
  }

  private static String where(Path file, String resource) {
    return file != null ? "'" + file + "'" : "(shipped resource /demo/" + resource + ")";
  }
}
