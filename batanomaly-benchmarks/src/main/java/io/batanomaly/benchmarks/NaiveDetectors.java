package io.batanomaly.benchmarks;

import io.batanomaly.AuditEvent;
import java.util.ArrayDeque;
import java.util.HashMap;

/**
 * The five audit rules written the way a careful engineer writes them by hand in an afternoon,
 * without a library: the baseline every ratio in the README is taken against, so it must not be
 * slow on purpose.
 *
 * <p>One {@code HashMap<String, Service>} holds everything kept per service (the four service
 * rules share its one look-up per event): an {@code ArrayDeque<Long>} of the event times of the
 * volume window, which doubles as the error rate's count of requests, one of the volume rule's
 * current window, one of error times and one of DELETE times, each evicted from the head as
 * time moves on, plus the last-seen time and the time of each rule's last alert. One
 * {@code HashMap<String, Identifier>} holds the 401 times per identifier, looked up only for a
 * 401. No streams, no lambdas, one boxed {@code Long} per event shared by the deques it goes
 * into, no string built per event.
 *
 * <p>Same thresholds and windows as the library's defaults (volume: z &gt; 3 over a 20 s current
 * window against the rest of 300 s with a Poisson deviation, judged once per service and
 * second; error rate: &gt; 20% of at least 50 events in 300 s; brute force: 10 401s per
 * identifier in 300 s; mass delete: 50 DELETEs per service in 300 s; silent service: last seen
 * per service), and a cooldown of 300 s per rule and key.
 *
 * <p>Single-threaded (not thread-safe), no validation, no lateness handling, no memory bound,
 * one tenant.
 */
public final class NaiveDetectors {
  private static final long WINDOW = 300_000;
  private static final long CURRENT = 20_000;
  private static final long COOLDOWN = 300_000;
  private static final long NEVER = Long.MIN_VALUE / 2;

  /** Everything one service's four rules keep. */
  private static final class Service {
    final ArrayDeque<Long> all = new ArrayDeque<>();
    final ArrayDeque<Long> recent = new ArrayDeque<>();
    final ArrayDeque<Long> errors = new ArrayDeque<>();
    final ArrayDeque<Long> deletes = new ArrayDeque<>();
    long judgedSecond = Long.MIN_VALUE;
    long lastSeen;
    long volumeAlert = NEVER;
    long errorAlert = NEVER;
    long deleteAlert = NEVER;
  }

  /** One identifier's 401s. */
  private static final class Identifier {
    final ArrayDeque<Long> failures = new ArrayDeque<>();
    long alert = NEVER;
  }

  private final HashMap<String, Service> services = new HashMap<>();
  private final HashMap<String, Identifier> identifiers = new HashMap<>();
  private long alerts;

  /**
   * Observes one event.
   *
   * @param e the event
   */
  public void observe(AuditEvent e) {
    observe(e.service(), e.epochMillis(), e.isDelete(), e.status(), e.identifier());
  }

  /**
   * Observes one event given by its fields.
   *
   * @param service the service
   * @param t the event time, epoch milliseconds
   * @param delete whether the method is DELETE
   * @param status the HTTP status
   * @param identifier the identifier, or {@code null}
   */
  public void observe(String service, long t, boolean delete, int status, String identifier) {
    Service s = services.get(service);
    if (s == null) {
      s = new Service();
      services.put(service, s);
    }
    s.lastSeen = t;
    // boxed once, shared by every deque the event goes into
    Long boxed = t;

    ArrayDeque<Long> all = evict(s.all, t, WINDOW);
    all.addLast(boxed);
    ArrayDeque<Long> recent = evict(s.recent, t, CURRENT);
    recent.addLast(boxed);
    long second = t / 1000;
    if (second > s.judgedSecond) {
      s.judgedSecond = second;
      if (volumeHolds(all.size(), recent.size()) && t - s.volumeAlert > COOLDOWN) {
        s.volumeAlert = t;
        alerts++;
      }
    }

    // the volume window doubles as the error rate's count of requests
    ArrayDeque<Long> errors = evict(s.errors, t, WINDOW);
    if (status >= 400) {
      errors.addLast(boxed);
    }
    if (all.size() >= 50 && errors.size() * 100.0 / all.size() > 20.0
        && t - s.errorAlert > COOLDOWN) {
      s.errorAlert = t;
      alerts++;
    }

    if (delete) {
      ArrayDeque<Long> d = evict(s.deletes, t, WINDOW);
      d.addLast(boxed);
      if (d.size() >= 50 && t - s.deleteAlert > COOLDOWN) {
        s.deleteAlert = t;
        alerts++;
      }
    }

    if (status == 401 && identifier != null) {
      Identifier id = identifiers.get(identifier);
      if (id == null) {
        id = new Identifier();
        identifiers.put(identifier, id);
      }
      ArrayDeque<Long> f = evict(id.failures, t, WINDOW);
      f.addLast(boxed);
      if (f.size() >= 10 && t - id.alert > COOLDOWN) {
        id.alert = t;
        alerts++;
      }
    }
  }

  private static boolean volumeHolds(long all, long recent) {
    double baselinePerMs = (double) (all - recent) / (WINDOW - CURRENT);
    double expected = baselinePerMs * CURRENT;
    return expected > 0 && (recent - expected) / Math.sqrt(expected) > 3.0
        && recent >= 2.2 * expected && recent - expected >= 25;
  }

  private static ArrayDeque<Long> evict(ArrayDeque<Long> q, long t, long span) {
    long oldest = t - span;
    Long head;
    while ((head = q.peekFirst()) != null && head < oldest) {
      q.pollFirst();
    }
    return q;
  }

  /** @return alerts raised so far */
  public long alerts() {
    return alerts;
  }

  /** @return services seen, for the silent-service rule a tick would check */
  public int servicesSeen() {
    return services.size();
  }
}
