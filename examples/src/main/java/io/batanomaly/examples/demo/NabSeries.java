package io.batanomaly.examples.demo;

import io.batanomaly.AuditEvent;
import io.batanomaly.Outcome;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a Numenta Anomaly Benchmark series ({@code timestamp,value} CSV, one row every five
 * minutes) as the execution times of one policy version, so PERFORMANCE_DEGRADATION can be
 * watched against the windows the benchmark labels as anomalous.
 *
 * <p>Each row becomes {@code perRow} successful evaluations spread evenly over the row's
 * interval, each taking the row's value in milliseconds. Timestamps carry no zone and are read
 * as UTC; a row that goes back in time (the corpus has a few around daylight-saving changes) is
 * moved to just after the previous one, so the series stays in order.
 */
public final class NabSeries {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

  private NabSeries() {}

  /**
   * Reads a series.
   *
   * @param reader the CSV text with its header; not closed
   * @param tenant the tenant of the events
   * @param module the policy module
   * @param function the policy function
   * @param versionId the policy version
   * @param perRow evaluations per row, at least 1
   * @return the events, in time order
   * @throws IOException if reading fails
   * @throws IllegalArgumentException if {@code perRow} is below 1 or a row is not
   *     {@code timestamp,value}; the message gives the row number and text
   */
  public static List<AuditEvent> read(Reader reader, String tenant, String module,
      String function, String versionId, int perRow) throws IOException {
    if (perRow < 1) {
      throw new IllegalArgumentException("perRow must be at least 1, but was " + perRow);
    }
    BufferedReader in = new BufferedReader(reader);
    List<Instant> times = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    String line = in.readLine();
    int number = 1;
    if (line == null || !line.trim().equalsIgnoreCase("timestamp,value")) {
      throw new IllegalArgumentException(
          "a NAB series starts with the header 'timestamp,value', but was '" + line + "'");
    }
    while ((line = in.readLine()) != null) {
      number++;
      if (line.isBlank()) {
        continue;
      }
      int comma = line.indexOf(',');
      try {
        times.add(LocalDateTime.parse(line.substring(0, comma), TIME).toInstant(ZoneOffset.UTC));
        values.add(Double.parseDouble(line.substring(comma + 1)));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "NAB row " + number + " must be 'yyyy-MM-dd HH:mm:ss,number', but was '" + line + "'",
            e instanceof DateTimeParseException ? e : null);
      }
    }
    List<AuditEvent> events = new ArrayList<>(times.size() * perRow);
    long previous = Long.MIN_VALUE;
    for (int i = 0; i < times.size(); i++) {
      long t = Math.max(times.get(i).toEpochMilli(), previous + 1);
      long next = i + 1 < times.size() ? times.get(i + 1).toEpochMilli() : t + 300_000;
      long span = Math.max(perRow, Math.min(next - t, 300_000));
      for (int k = 0; k < perRow; k++) {
        long at = t + k * span / perRow;
        events.add(AuditEvent.builder().tenant(tenant).service("policy-engine").epochMillis(at)
            .eventType("policy.evaluation").policyModule(module).policyFunction(function)
            .versionId(versionId).outcome(Outcome.SUCCESS).executionTimeMillis(values.get(i))
            .build());
        previous = at;
      }
    }
    return events;
  }

  /**
   * Parses a labelled-window bound as NAB writes it ({@code 2014-03-14 03:31:00.000000}).
   *
   * @param text the text
   * @return the instant, read as UTC
   * @throws java.time.format.DateTimeParseException if the text is not such a time
   */
  public static Instant parseLabelTime(String text) {
    String trimmed = text.trim();
    int dot = trimmed.indexOf('.');
    return LocalDateTime.parse(dot < 0 ? trimmed : trimmed.substring(0, dot), TIME)
        .toInstant(ZoneOffset.UTC);
  }
}
