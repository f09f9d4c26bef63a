package io.batanomaly.internal;

import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyPage;
import io.batanomaly.api.AnomalyQuery;
import io.batanomaly.api.AnomalySummary;
import io.batanomaly.api.InvalidRequestException;
import io.batanomaly.api.Origin;
import io.batanomaly.api.StatusUpdateRequest;
import io.batanomaly.api.TriageService;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The engine's {@link TriageService}: queries on the repository, status changes through the gate
 * ({@link AnomalyLifecycle}), verification through the {@link Verifier}, and status updates with
 * an Idempotency-Key through the {@link IdempotencyKeys}. A request's fingerprint for the key is
 * the anomaly id with the target status and note. Every read and change first repairs an
 * anomaly stranded in VERIFYING by an engine that stopped ({@link Verifier#repairIfStranded}).
 */
public final class DefaultTriageService implements TriageService {

  private final AnomalyLifecycle lifecycle;
  private final Verifier verifier;
  private final IdempotencyKeys idempotency;
  private final InstantSource clock;
  private final java.util.Set<String> types;

  /**
   * Creates a service whose type filter accepts any type.
   *
   * @param lifecycle the gate
   * @param verifier runs verification jobs
   * @param idempotency stores Idempotency-Key outcomes
   * @param clock the engine clock
   */
  public DefaultTriageService(AnomalyLifecycle lifecycle, Verifier verifier,
      IdempotencyKeys idempotency, InstantSource clock) {
    this(lifecycle, verifier, idempotency, clock, java.util.Set.of());
  }

  /**
   * Creates the service.
   *
   * @param lifecycle the gate
   * @param verifier runs verification jobs
   * @param idempotency stores Idempotency-Key outcomes
   * @param clock the engine clock
   * @param types the types the running detectors report, which the type filter accepts (any
   *     type when empty)
   */
  public DefaultTriageService(AnomalyLifecycle lifecycle, Verifier verifier,
      IdempotencyKeys idempotency, InstantSource clock, java.util.Set<String> types) {
    this.lifecycle = lifecycle;
    this.verifier = verifier;
    this.idempotency = idempotency;
    this.clock = clock;
    this.types = java.util.Collections.unmodifiableSet(new java.util.TreeSet<>(types));
  }

  @Override
  public java.util.Set<String> types() {
    return types;
  }

  /** Normalises the type filter and refuses a type no running detector reports. */
  private String knownType(String given) {
    String type = normalizeType(given);
    if (type != null && !types.isEmpty() && !types.contains(type)) {
      throw new InvalidRequestException("type must be one of the types the running detectors"
          + " report (" + String.join(", ", types) + "), in any case, but was '" + given + "'");
    }
    return type;
  }

  /**
   * Normalises an anomaly type given on input: the lower-case names of the audit document
   * ({@code volume_spike}) are accepted for their upper-case types.
   *
   * @param type the type as given
   * @return the type in upper snake case, or {@code null}
   */
  public static String normalizeType(String type) {
    if (type == null || type.isBlank()) {
      return null;
    }
    return type.trim().toUpperCase(Locale.ROOT);
  }

  private static String requireTenant(String tenant) {
    if (tenant == null || tenant.isBlank()) {
      throw new InvalidRequestException("X-Tenant-ID is required and must not be blank");
    }
    return tenant;
  }

  @Override
  public AnomalyPage<AnomalySummary> list(String tenant, AnomalyQuery query) {
    requireTenant(tenant);
    Objects.requireNonNull(query, "query");
    Instant since = clock.instant().minus(Duration.ofDays(query.days()));
    AnomalyPage<Anomaly> page = lifecycle.repository()
        .page(tenant, knownType(query.type()), since, query.page(), query.size());
    List<AnomalySummary> content = page.content().stream()
        .map(verifier::repairIfStranded)
        .map(Anomaly::toSummary)
        .toList();
    return new AnomalyPage<>(content, page.totalElements(), page.totalPages(), page.page(),
        page.size());
  }

  @Override
  public Optional<Anomaly> find(String tenant, String id) {
    requireTenant(tenant);
    return lifecycle.repository().find(tenant, id).map(verifier::repairIfStranded);
  }

  @Override
  public void verify(String tenant, String id) {
    requireTenant(tenant);
    lifecycle.repository().find(tenant, id).ifPresent(verifier::repairIfStranded);
    verifier.start(tenant, id);
  }

  @Override
  public Anomaly updateStatus(
      String tenant, String id, StatusUpdateRequest request, String idempotencyKey) {
    requireTenant(tenant);
    Objects.requireNonNull(request, "request");
    if (idempotencyKey == null) {
      return apply(tenant, id, request);
    }
    // what makes two status updates "the same request" for an Idempotency-Key
    String fingerprint = IdempotencyKeys.fingerprint(id, request.status(), request.note());
    return idempotency.execute(tenant, idempotencyKey, fingerprint,
        () -> apply(tenant, id, request));
  }

  private Anomaly apply(String tenant, String id, StatusUpdateRequest request) {
    lifecycle.repository().find(tenant, id).ifPresent(verifier::repairIfStranded);
    return lifecycle.transition(tenant, id, request.status(), Origin.USER, request.note(),
        Map.of(), null);
  }
}
