package io.batanomaly.api;

import java.util.Optional;

/**
 * Lists, inspects, verifies and triages the anomalies of a tenant. This is the interface the HTTP
 * layer is written against; the engine provides the implementation.
 *
 * <p>Every method takes the tenant explicitly. An anomaly of another tenant is never visible:
 * asking for it by id behaves exactly as asking for an id that does not exist.
 *
 * <p>Implementations are thread-safe.
 */
public interface TriageService {

  /**
   * Lists a tenant's anomalies detected within the query's day range, newest first.
   *
   * @param tenant the tenant
   * @param query type filter, day range and paging
   * @return the requested page; empty content when the page is past the end
   * @throws InvalidRequestException if {@code tenant} is blank, or if the type filter is none
   *     of {@link #types()} (in any case) when that set is not empty; the message names the
   *     known types and the value given
   * @throws NullPointerException if {@code query} is null
   */
  AnomalyPage<AnomalySummary> list(String tenant, AnomalyQuery query);

  /**
   * Returns the anomaly types the list's type filter accepts: those the running detectors
   * report, built-in or third-party. An empty set means any type is accepted.
   *
   * @return the known types, upper snake case; the default is empty
   */
  default java.util.Set<String> types() {
    return java.util.Set.of();
  }

  /**
   * Finds one anomaly of a tenant.
   *
   * @param tenant the tenant
   * @param id the anomaly id
   * @return the anomaly, or empty if the tenant has none with that id
   * @throws InvalidRequestException if {@code tenant} is blank
   */
  Optional<Anomaly> find(String tenant, String id);

  /**
   * Returns one anomaly of a tenant.
   *
   * @param tenant the tenant
   * @param id the anomaly id
   * @return the anomaly
   * @throws AnomalyNotFoundException if the tenant has no anomaly with that id
   * @throws InvalidRequestException if {@code tenant} is blank
   */
  default Anomaly get(String tenant, String id) {
    return find(tenant, id).orElseThrow(() -> new AnomalyNotFoundException(id));
  }

  /**
   * Starts verification: the anomaly becomes VERIFYING before this method returns, and an
   * asynchronous job re-evaluates its evidence against the current window state, then sets
   * RESOLVED if the condition no longer holds or OPEN if it does. A job that fails or times out
   * sets OPEN and records why.
   *
   * @param tenant the tenant
   * @param id the anomaly id
   * @throws AnomalyNotFoundException if the tenant has no anomaly with that id
   * @throws IllegalTransitionException if the anomaly is not OPEN
   * @throws InvalidRequestException if {@code tenant} is blank
   */
  void verify(String tenant, String id);

  /**
   * Changes an anomaly's status as a person's triage decision.
   *
   * <p>With an idempotency key, the first outcome for that tenant and key (the updated anomaly or
   * the client error) is stored for 24 hours and returned again for a retry of the same request,
   * without applying the change twice.
   *
   * @param tenant the tenant
   * @param id the anomaly id
   * @param request the target status and note
   * @param idempotencyKey the client's {@code Idempotency-Key}, or {@code null} for none
   * @return the anomaly after the change (for a replay: as it was after the first request)
   * @throws AnomalyNotFoundException if the tenant has no anomaly with that id
   * @throws IllegalTransitionException if the transition table does not allow the change
   * @throws IdempotencyKeyReusedException if the key was used for a different request
   * @throws IdempotencyKeyInFlightException if the first request with the key is still running
   * @throws InvalidRequestException if {@code tenant} is blank or the key is malformed
   */
  Anomaly updateStatus(
      String tenant, String id, StatusUpdateRequest request, String idempotencyKey);
}
