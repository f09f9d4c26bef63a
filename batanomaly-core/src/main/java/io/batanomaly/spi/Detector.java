package io.batanomaly.spi;

import io.batanomaly.AuditEvent;
import io.batanomaly.api.Anomaly;
import java.util.Map;
import java.util.Set;

/**
 * Watches the event stream for one kind of anomaly.
 *
 * <p><b>Concurrency contract.</b> {@link #observe} is called concurrently from every thread that
 * calls {@link io.batanomaly.AnomalyEngine#ingest}, {@link #tick} from the engine's tick (never
 * concurrently with itself, but concurrently with {@code observe}), and {@link #reevaluate} from
 * verification jobs. Implementations must be thread-safe; {@code observe} is the hot path and
 * should take no lock and allocate nothing for an event that changes no key set.
 *
 * <p>Detectors report through the {@link FindingSink} they are given; they never throw for event
 * content. An exception escaping {@code observe} or {@code tick} is caught, logged and counted
 * by the engine, and does not stop other detectors or the rest of the batch.
 */
public interface Detector {

  /**
   * Returns the anomaly types this detector reports, upper snake case, such as
   * {@code BRUTE_FORCE}.
   *
   * @return the types, at least one
   */
  Set<String> types();

  /**
   * Observes one accepted event.
   *
   * @param event the event, already validated: tenant and service are not blank, the timestamp
   *     is within the accepted range; never one of the engine's own
   *     {@value io.batanomaly.AuditEvent#ALERT_EVENT_TYPE} events, which the engine accepts
   *     (so a host may feed its whole event log back) but hands to no detector
   * @param scope the event's tenant and service, with this detector's attachments
   * @param sink where to report findings
   */
  void observe(AuditEvent event, ServiceScope scope, FindingSink sink);

  /**
   * Observes the accepted events of one ingest call, in the order the host gave them. The
   * engine calls this once per batch instead of {@link #observe(AuditEvent, ServiceScope,
   * FindingSink)} per event when the detector overrides it: one call per batch instead of one
   * per event, and field reads without an {@link AuditEvent} per event on the
   * {@link io.batanomaly.EventBatch} path. An override must give the same findings as calling
   * the per-event method for each event in order, which is what this default does (used only
   * when a caller other than the engine hands a detector a batch: the engine calls a detector
   * that does not override this method per event itself, building each {@code AuditEvent} of an
   * {@code EventBatch} it is given).
   *
   * <p>Same concurrency contract as the per-event method: called concurrently from every
   * ingesting thread, each with its own {@code events}, which is valid only during the call.
   * An exception escaping it is caught, logged and counted by the engine; the detector then
   * misses the rest of that batch, and the other detectors still see all of it.
   *
   * @param events the accepted events, each with its scope
   * @param sink where to report findings
   */
  default void observe(AcceptedEvents events, FindingSink sink) {
    for (int i = 0, n = events.size(); i < n; i++) {
      observe(events.event(i), events.scope(i), sink);
    }
  }

  /**
   * Runs time-driven checks, such as silence. Called on every engine tick, even when no event
   * arrives.
   *
   * @param nowMillis the engine clock, in epoch milliseconds
   * @param sink where to report findings
   */
  default void tick(long nowMillis, FindingSink sink) {}

  /**
   * Re-evaluates an anomaly this detector reported against its current window state: does the
   * condition still hold now? Used by verification.
   *
   * @param anomaly the anomaly, one of this detector's types
   * @param nowMillis the engine clock, in epoch milliseconds
   * @return the verdict and the evidence behind it
   */
  Reevaluation reevaluate(Anomaly anomaly, long nowMillis);

  /**
   * Learns that the host declared the current version of a policy function, through
   * {@link io.batanomaly.AnomalyEngine#activateVersion}. Every other version of that module and
   * function that received evaluations before the declaration is superseded from
   * {@code atMillis} on. Called from the host's thread, concurrently with {@link #observe};
   * rare, so it may allocate and take a lock. The default does nothing.
   *
   * @param tenant the tenant, with this detector's attachments
   * @param policyModule the policy module, not blank
   * @param policyFunction the policy function, not blank
   * @param versionId the version now current, not blank
   * @param atMillis when the declaration was made, by the engine clock, in epoch milliseconds
   */
  default void onVersionActivated(TenantScope tenant, String policyModule, String policyFunction,
      String versionId, long atMillis) {}

  /**
   * Returns counters for the health snapshot, such as {@code keysTracked} and
   * {@code keysEvicted}.
   *
   * @return counter name to value, possibly empty
   */
  default Map<String, Long> stats() {
    return Map.of();
  }
}
