package io.batanomaly.detectors;

import io.batanomaly.AuditEvent;
import io.batanomaly.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;

/** Policy-evaluation events for tests: one module and function, any version. */
public final class PolicyEvents {
  /** The module of every event. */
  public static final String MODULE = "payments";
  /** The function of every event. */
  public static final String FUNCTION = "authorize";

  private PolicyEvents() {}

  /**
   * One evaluation.
   *
   * @param tenant the tenant
   * @param version the version id
   * @param at the event time
   * @param outcome the outcome
   * @param millis the execution time in milliseconds
   * @return the event
   */
  public static AuditEvent evaluation(String tenant, String version, Instant at, Outcome outcome,
      double millis) {
    return AuditEvent.builder().tenant(tenant).service("policy-engine").timestamp(at)
        .eventType("policy.evaluation").policyModule(MODULE).policyFunction(FUNCTION)
        .versionId(version).outcome(outcome).executionTimeMillis(millis).build();
  }

  /**
   * Evaluations at a steady pace.
   *
   * @param tenant the tenant
   * @param version the version id
   * @param from the first event time
   * @param span how long
   * @param every the gap between two evaluations
   * @param failureShare the share of failures, spread evenly (every n-th evaluation fails)
   * @param millis the execution time of each evaluation, in milliseconds
   * @return the events
   */
  public static List<AuditEvent> steady(String tenant, String version, Instant from,
      Duration span, Duration every, double failureShare, DoubleSupplier millis) {
    List<AuditEvent> events = new ArrayList<>();
    double failureDebt = 0;
    for (Instant t = from; t.isBefore(from.plus(span)); t = t.plus(every)) {
      failureDebt += failureShare;
      Outcome outcome = Outcome.SUCCESS;
      if (failureDebt >= 1) {
        failureDebt -= 1;
        outcome = Outcome.FAILURE;
      }
      events.add(evaluation(tenant, version, t, outcome, millis.getAsDouble()));
    }
    return events;
  }

  /**
   * Log-normal execution times.
   *
   * @param seed the seed
   * @param medianMillis the median
   * @param sigma the standard deviation of the logarithm
   * @return a supplier of execution times in milliseconds
   */
  public static DoubleSupplier logNormal(long seed, double medianMillis, double sigma) {
    Random random = new Random(seed);
    return () -> medianMillis * Math.exp(sigma * random.nextGaussian());
  }

  /** @return a constant execution time of 5 ms */
  public static DoubleSupplier fiveMillis() {
    return () -> 5.0;
  }
}
