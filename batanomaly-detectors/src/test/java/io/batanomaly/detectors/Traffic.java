package io.batanomaly.detectors;

import io.batanomaly.AuditEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Builds test traffic: single events, steady streams and seeded Poisson streams. */
public final class Traffic {
  private Traffic() {}

  /** @return a GET with status 200 */
  public static AuditEvent get(String tenant, String service, long millis) {
    return AuditEvent.builder().tenant(tenant).service(service).epochMillis(millis)
        .method("GET").status(200).identifier("client-1").eventType("http.request").build();
  }

  /** @return a request with the given method and status */
  public static AuditEvent request(String tenant, String service, long millis, String method,
      int status, String identifier) {
    return AuditEvent.builder().tenant(tenant).service(service).epochMillis(millis)
        .method(method).status(status).identifier(identifier).eventType("http.request").build();
  }

  /** @return a DELETE with status 204 */
  public static AuditEvent delete(String tenant, String service, long millis) {
    return request(tenant, service, millis, "DELETE", 204, "admin");
  }

  /** @return a 401 for an identifier */
  public static AuditEvent unauthorized(String tenant, String service, long millis,
      String identifier) {
    return request(tenant, service, millis, "POST", 401, identifier);
  }

  /** @return one GET every {@code every}, from {@code start} for {@code length} */
  public static List<AuditEvent> steady(String tenant, String service, Instant start,
      Duration length, Duration every) {
    List<AuditEvent> out = new ArrayList<>();
    for (long t = start.toEpochMilli(); t < start.plus(length).toEpochMilli();
        t += every.toMillis()) {
      out.add(get(tenant, service, t));
    }
    return out;
  }

  /**
   * A Poisson stream of GETs: exponential gaps at {@code ratePerSecond}.
   *
   * @return the events, in time order
   */
  public static List<AuditEvent> poisson(String tenant, String service, long startMillis,
      long endMillis, double ratePerSecond, SplittableRandom random) {
    List<AuditEvent> out = new ArrayList<>();
    double t = startMillis;
    while (true) {
      t += -Math.log(1 - random.nextDouble()) * 1000.0 / ratePerSecond;
      if (t >= endMillis) {
        return out;
      }
      out.add(get(tenant, service, (long) t));
    }
  }

  /** Draws a Poisson count (Knuth's method for small means, normal beyond 500). */
  public static int poissonCount(double mean, SplittableRandom random) {
    if (mean > 500) {
      double g = random.nextGaussian();
      return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * g));
    }
    double limit = Math.exp(-mean);
    double p = 1;
    int k = 0;
    do {
      k++;
      p *= random.nextDouble();
    } while (p > limit);
    return k - 1;
  }
}
