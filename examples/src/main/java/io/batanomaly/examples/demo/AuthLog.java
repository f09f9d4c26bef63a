package io.batanomaly.examples.demo;

import io.batanomaly.AuditEvent;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an Ubuntu syslog {@code auth.log} into audit events, one host as one tenant and each
 * program ({@code sshd}, {@code sudo}, {@code CRON}, …) as one service.
 *
 * <p>Mapping: {@code Failed password for … from IP} becomes a 401 from that IP (a line
 * {@code message repeated N times: [ Failed password … ]} becomes N of them);
 * {@code Accepted password|publickey for … from IP} becomes a 200 from that IP; every other
 * line becomes an event of its program without HTTP status. Syslog lines carry no year and no
 * zone: the caller gives the year, and times are read as UTC.
 */
public final class AuthLog {

  private static final Pattern LINE = Pattern.compile(
      "^(\\w{3}\\s+\\d{1,2} \\d{2}:\\d{2}:\\d{2}) (\\S+) ([^\\[:\\s]+)(?:\\[\\d+\\])?:\\s*(.*)$");
  private static final Pattern FAILED = Pattern.compile(
      "Failed password for (?:invalid user )?\\S+ from (\\S+) port");
  private static final Pattern ACCEPTED = Pattern.compile(
      "Accepted \\S+ for \\S+ from (\\S+) port");
  private static final Pattern REPEATED = Pattern.compile("message repeated (\\d+) times:");
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy MMM d HH:mm:ss", Locale.ROOT);

  private AuthLog() {}

  /**
   * Reads a log.
   *
   * @param reader the log text; not closed
   * @param year the year the log was written in
   * @return the events, in the order of the log
   * @throws IOException if reading fails
   * @throws IllegalArgumentException if a line does not look like syslog; the message gives its
   *     number and text
   */
  public static List<AuditEvent> read(Reader reader, int year) throws IOException {
    BufferedReader in = new BufferedReader(reader);
    List<AuditEvent> events = new ArrayList<>();
    String line;
    int number = 0;
    while ((line = in.readLine()) != null) {
      number++;
      if (line.isBlank()) {
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "auth.log line " + number + " is not a syslog line, but was '" + line + "'");
      }
      Instant t;
      try {
        t = LocalDateTime.parse(year + " " + m.group(1).replaceAll("\\s+", " "), TIME)
            .toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("auth.log line " + number
            + " has no valid time, but was '" + m.group(1) + "'", e);
      }
      String host = m.group(2);
      String program = m.group(3);
      String message = m.group(4);
      AuditEvent.Builder b = AuditEvent.builder().tenant(host).service(program).timestamp(t)
          .eventType("syslog." + program.toLowerCase(Locale.ROOT));
      Matcher failed = FAILED.matcher(message);
      Matcher accepted = ACCEPTED.matcher(message);
      int times = 1;
      if (failed.find()) {
        b.status(401).method("POST").identifier(failed.group(1));
        Matcher repeated = REPEATED.matcher(message);
        if (repeated.find()) {
          times = Integer.parseInt(repeated.group(1));
        }
      } else if (accepted.find()) {
        b.status(200).method("POST").identifier(accepted.group(1));
      }
      AuditEvent e = b.build();
      for (int i = 0; i < times; i++) {
        events.add(e);
      }
    }
    return events;
  }
}
