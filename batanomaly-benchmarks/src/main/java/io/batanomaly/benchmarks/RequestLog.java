package io.batanomaly.benchmarks;

import io.batanomaly.AuditEvent;
import java.util.HashMap;
import java.util.Map;

/**
 * A host's own view of the {@link EventStream}: the same events written as request-log lines
 * ({@code epochMillis tenant service method status identifier}) and parsed once, before
 * measuring, into the host's records, as a host that already parses its access log holds them.
 *
 * <p>The parser keeps one String per tenant, service and method (a careful parser canonicalises
 * the few values a column takes), and cuts a fresh String per line for the identifier, as any
 * parser does for a column of 100,000 values. The records are replayed forever like the stream:
 * each pass one span later in event time, through {@link #offset()}, which the measured code
 * adds to each record's time as it converts it.
 *
 * <p>Not thread-safe: each benchmark thread owns its log.
 */
public final class RequestLog {

  /**
   * One parsed request-log line: strings and primitives, nothing of the library's.
   *
   * @param tenant the tenant
   * @param service the service
   * @param epochMillis the request time, epoch milliseconds
   * @param method the HTTP method, upper case
   * @param status the HTTP status
   * @param identifier the caller: user or client address
   */
  public record Line(String tenant, String service, long epochMillis, String method, int status,
      String identifier) {}

  private final Line[][] batches;
  private final long span;
  private int next;
  private long offset;
  private long currentOffset;

  private RequestLog(Line[][] batches, long span) {
    this.batches = batches;
    this.span = span;
  }

  /**
   * Writes a stream as log lines and parses them back into records.
   *
   * @param stream the stream, which may be dropped afterwards
   * @return the log
   */
  public static RequestLog of(EventStream stream) {
    Map<String, String> canonical = new HashMap<>();
    Line[][] batches = new Line[stream.batchCount()][];
    StringBuilder sb = new StringBuilder(96);
    for (int b = 0; b < batches.length; b++) {
      AuditEvent[] events = stream.batch(b);
      Line[] lines = new Line[events.length];
      for (int i = 0; i < events.length; i++) {
        AuditEvent e = events[i];
        sb.setLength(0);
        sb.append(e.epochMillis()).append(' ').append(e.tenant()).append(' ')
            .append(e.service()).append(' ').append(e.method()).append(' ').append(e.status())
            .append(' ').append(e.identifier());
        lines[i] = parse(sb.toString(), canonical);
      }
      batches[b] = lines;
    }
    return new RequestLog(batches, stream.spanMillis());
  }

  private static Line parse(String line, Map<String, String> canonical) {
    int a = line.indexOf(' ');
    int b = line.indexOf(' ', a + 1);
    int c = line.indexOf(' ', b + 1);
    int d = line.indexOf(' ', c + 1);
    int e = line.indexOf(' ', d + 1);
    return new Line(
        canonical.computeIfAbsent(line.substring(a + 1, b), k -> k),
        canonical.computeIfAbsent(line.substring(b + 1, c), k -> k),
        Long.parseLong(line, 0, a, 10),
        canonical.computeIfAbsent(line.substring(c + 1, d), k -> k),
        Integer.parseInt(line, d + 1, e, 10),
        line.substring(e + 1));
  }

  /**
   * Returns the next batch of lines and moves {@link #offset()} to its pass.
   *
   * @return the lines, the log's own array
   */
  public Line[] next() {
    int i = next;
    currentOffset = offset;
    if (i + 1 == batches.length) {
      next = 0;
      offset += span;
    } else {
      next = i + 1;
    }
    return batches[i];
  }

  /** @return what to add to the times of the batch {@link #next()} returned last */
  public long offset() {
    return currentOffset;
  }

  /** @return the largest time of the batch {@link #next()} will return, offset included */
  public long peekMaxTime() {
    Line[] b = batches[next];
    return b[b.length - 1].epochMillis() + offset;
  }
}
