package io.batanomaly.api.http;

import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyPage;
import io.batanomaly.api.AnomalyQuery;
import io.batanomaly.api.AnomalyStatus;
import io.batanomaly.api.AnomalySummary;
import io.batanomaly.api.HistoryEntry;
import io.batanomaly.api.Origin;
import io.batanomaly.api.Samples;
import io.batanomaly.api.StatusUpdateRequest;
import io.batanomaly.api.TriageService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A triage service holding one anomaly of tenant acme-corp that records every call it gets, so
 * handler tests can check what reached the service; {@link #failWith} makes the next call throw.
 */
final class RecordingTriageService implements TriageService {
  static final String TENANT = "acme-corp";

  final List<String> calls = new CopyOnWriteArrayList<>();
  volatile AnomalyQuery lastQuery;
  volatile StatusUpdateRequest lastUpdate;
  volatile String lastKey;
  private volatile Anomaly anomaly = withStatus(Samples.anomaly(), AnomalyStatus.OPEN);
  private volatile RuntimeException failure;

  void failWith(RuntimeException e) {
    this.failure = e;
  }

  private void maybeFail() {
    RuntimeException e = failure;
    if (e != null) {
      failure = null;
      throw e;
    }
  }

  static Anomaly withStatus(Anomaly a, AnomalyStatus status) {
    List<HistoryEntry> history = new ArrayList<>(a.history());
    history.add(new HistoryEntry(a.status(), status, Instant.parse("2024-01-15T11:00:00Z"), null,
        Origin.USER, Map.of()));
    return new Anomaly(a.id(), a.tenant(), a.type(), a.subject(), a.service(), a.identifier(),
        a.policyModule(), a.policyFunction(), a.versionId(), a.detectedAt(), a.lastSeenAt(),
        a.occurrences(), status, a.severity(), a.summary(), a.metrics(), a.recommendedActions(),
        history);
  }

  @Override
  public AnomalyPage<AnomalySummary> list(String tenant, AnomalyQuery query) {
    calls.add("list " + tenant);
    lastQuery = query;
    maybeFail();
    List<AnomalySummary> all = tenant.equals(TENANT) ? List.of(anomaly.toSummary()) : List.of();
    return AnomalyPage.of(all, query.page(), query.size());
  }

  @Override
  public Optional<Anomaly> find(String tenant, String id) {
    calls.add("find " + tenant + " " + id);
    maybeFail();
    return tenant.equals(TENANT) && id.equals(anomaly.id()) ? Optional.of(anomaly)
        : Optional.empty();
  }

  private Anomaly require(String tenant, String id) {
    if (tenant.equals(TENANT) && id.equals(anomaly.id())) {
      return anomaly;
    }
    throw new io.batanomaly.api.AnomalyNotFoundException(id);
  }

  @Override
  public void verify(String tenant, String id) {
    calls.add("verify " + tenant + " " + id);
    maybeFail();
    anomaly = withStatus(require(tenant, id), AnomalyStatus.VERIFYING);
  }

  @Override
  public Anomaly updateStatus(
      String tenant, String id, StatusUpdateRequest request, String idempotencyKey) {
    calls.add("updateStatus " + tenant + " " + id);
    lastUpdate = request;
    lastKey = idempotencyKey;
    maybeFail();
    anomaly = withStatus(require(tenant, id), request.status());
    return anomaly;
  }
}
