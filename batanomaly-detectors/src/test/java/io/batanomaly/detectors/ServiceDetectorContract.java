package io.batanomaly.detectors;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalySettings;
import io.batanomaly.AuditEvent;
import io.batanomaly.testkit.DetectorContractKit;
import io.batanomaly.testkit.Scenario;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The contract kit for the detectors that keep state per service, under the engine's budget of
 * services per tenant ({@link AnomalySettings#MAX_SERVICES_PER_TENANT}): the bounded-state check
 * runs with a budget of {@value #SERVICE_BUDGET} and floods it with one event on each of 2,000
 * services, ten milliseconds apart.
 */
public abstract class ServiceDetectorContract extends DetectorContractKit {

  /** The services each tenant may track in the bounded-state check. */
  public static final int SERVICE_BUDGET = 100;

  /**
   * Returns one event of a service of the kind the detector keeps state for.
   *
   * @param tenant the tenant
   * @param service the service
   * @param atMillis the event time
   * @return the event
   */
  protected abstract AuditEvent serviceEvent(String tenant, String service, long atMillis);

  @Override
  protected Scenario manyKeys(String tenant, Instant start) {
    List<AuditEvent> events = new ArrayList<>();
    long t0 = start.toEpochMilli();
    for (int i = 0; i < 2_000; i++) {
      events.add(serviceEvent(tenant, "service-" + i, t0 + i * 10L));
    }
    return Scenario.of(events);
  }

  @Override
  protected AnomalyConfig configForBoundedState() {
    return config().toBuilder()
        .set(AnomalySettings.MAX_SERVICES_PER_TENANT, SERVICE_BUDGET).build();
  }

  @Override
  protected long keyBudget() {
    return SERVICE_BUDGET;
  }
}
