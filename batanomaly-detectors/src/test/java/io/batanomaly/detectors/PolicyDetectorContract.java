package io.batanomaly.detectors;

import static io.batanomaly.detectors.PolicyEvents.evaluation;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AuditEvent;
import io.batanomaly.Outcome;
import io.batanomaly.detectors.internal.PolicySettings;
import io.batanomaly.testkit.DetectorContractKit;
import io.batanomaly.testkit.Scenario;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The contract kit for the policy-version detectors, which share one budget of versions per
 * tenant ({@link PolicySettings#MAX_VERSIONS}): the bounded-state check runs with a budget of
 * {@value #VERSION_BUDGET} and floods it with 2,000 versions of one function, one evaluation
 * each, a tenth of a second apart.
 */
public abstract class PolicyDetectorContract extends DetectorContractKit {

  /** The versions each tenant may track in the bounded-state check. */
  public static final int VERSION_BUDGET = 100;

  /** @return the outcome of every evaluation of the flood; success unless overridden */
  protected Outcome floodOutcome() {
    return Outcome.SUCCESS;
  }

  @Override
  protected Scenario manyKeys(String tenant, Instant start) {
    List<AuditEvent> events = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      events.add(evaluation(tenant, "v" + i, start.plusMillis(i * 100L), floodOutcome(), 5));
    }
    return Scenario.of(events);
  }

  @Override
  protected AnomalyConfig configForBoundedState() {
    return config().toBuilder().set(PolicySettings.MAX_VERSIONS, VERSION_BUDGET).build();
  }

  @Override
  protected long keyBudget() {
    return VERSION_BUDGET;
  }
}
