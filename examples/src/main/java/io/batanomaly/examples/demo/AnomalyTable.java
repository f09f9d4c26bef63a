package io.batanomaly.examples.demo;

import io.batanomaly.api.Anomaly;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Formats anomalies as a plain-text table, one row each. */
public final class AnomalyTable {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final int SUMMARY_WIDTH = 90;

  private AnomalyTable() {}

  /**
   * Formats anomalies: type, tenant, subject, severity, detected at (UTC), status, findings
   * absorbed (a lasting condition updates its anomaly instead of opening another), whether it
   * matches an injected incident (for a source that has them) and summary.
   *
   * @param anomalies the anomalies, in the order to show them
   * @param source what was replayed, for the injected incidents
   * @return the table, one line per row, ending with a line break; a single line saying so
   *     when there are none
   */
  public static String format(List<Anomaly> anomalies, ReplaySource source) {
    if (anomalies.isEmpty()) {
      return "  (none)\n";
    }
    boolean injected = !source.incidents().isEmpty();
    List<String[]> rows = new ArrayList<>();
    rows.add(injected
        ? new String[] {"TYPE", "TENANT", "SUBJECT", "SEVERITY", "DETECTED AT", "STATUS",
            "FINDINGS", "INJECTED", "SUMMARY"}
        : new String[] {"TYPE", "TENANT", "SUBJECT", "SEVERITY", "DETECTED AT", "STATUS",
            "FINDINGS", "SUMMARY"});
    for (Anomaly a : anomalies) {
      String summary = a.summary() == null ? "" : a.summary();
      if (summary.length() > SUMMARY_WIDTH) {
        summary = summary.substring(0, SUMMARY_WIDTH - 3) + "...";
      }
      String match = source.incidents().stream().anyMatch(i -> i.matches(a)) ? "yes" : "no";
      rows.add(injected
          ? new String[] {a.type(), a.tenant(), a.subject(), a.severity().name(),
              TIME.format(a.detectedAt()), a.status().name(), Long.toString(a.occurrences()), match,
              summary}
          : new String[] {a.type(), a.tenant(), a.subject(), a.severity().name(),
              TIME.format(a.detectedAt()), a.status().name(), Long.toString(a.occurrences()),
              summary});
    }
    int columns = rows.get(0).length;
    int[] width = new int[columns];
    for (String[] row : rows) {
      for (int c = 0; c < columns; c++) {
        width[c] = Math.max(width[c], row[c].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String[] row : rows) {
      sb.append(' ');
      for (int c = 0; c < columns; c++) {
        sb.append(' ').append(row[c]);
        if (c < columns - 1) {
          sb.append(" ".repeat(width[c] - row[c].length() + 1));
        }
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
