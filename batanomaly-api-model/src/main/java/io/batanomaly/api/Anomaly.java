package io.batanomaly.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The full record of one anomaly: the body of {@code GET /api/v1/audit/anomalies/{id}} and of
 * a successful {@code PATCH …/status}.
 *
 * <p>The documented fields ({@code id}, {@code type}, {@code policyModule}, {@code policyFunction},
 * {@code versionId}, {@code detectedAt}, {@code status}, {@code severity}, {@code summary},
 * {@code metrics}, {@code recommendedActions}) come first. The others say what the anomaly is
 * about for the audit-event types ({@code subject}, {@code service}, {@code identifier}), how long
 * it has lasted ({@code lastSeenAt}, {@code occurrences}) and how it was triaged
 * ({@code history}). Fields that do not apply to a type, such as {@code versionId} for a brute
 * force, are left out of the JSON.
 *
 * <p>In JSON, timestamps ({@code detectedAt}, {@code lastSeenAt}, and instants among the
 * {@code metrics}) are ISO-8601 UTC strings to the second, such as {@code 2024-01-15T10:30:00Z},
 * whatever the settings of the {@code ObjectMapper}; the Java accessors keep full precision.
 *
 * @param id unique identifier, a string such as {@code "anom-3f2a9c…"}
 * @param tenant the tenant the anomaly belongs to
 * @param type the anomaly type, such as {@code HIGH_FAILURE_RATE} or {@code BRUTE_FORCE}
 * @param subject what the anomaly is about: a service, an identifier or a policy version
 * @param service the service concerned, when there is one
 * @param identifier the user, API client or IP concerned, when there is one
 * @param policyModule the policy module concerned, for policy-version types
 * @param policyFunction the policy function concerned, for policy-version types
 * @param versionId the policy version concerned, for policy-version types
 * @param detectedAt when the anomaly was first detected, by the engine's clock
 * @param lastSeenAt when a finding last confirmed it
 * @param occurrences how many findings it has absorbed, at least 1
 * @param status its triage status
 * @param severity its severity; repeated findings may raise it, never lower it
 * @param summary a one-line description a person can act on
 * @param metrics the evidence of the latest finding: counts, rates, baseline, window bounds
 * @param recommendedActions what to do about it
 * @param history every status change, oldest first
 */
// absent values are left out, except the three policy fields the documented schema lists on
// every item: those are written as null for an audit anomaly
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "id", "type", "policyModule", "policyFunction", "versionId", "detectedAt", "status",
  "severity", "summary", "metrics", "recommendedActions", "tenant", "subject", "service",
  "identifier", "lastSeenAt", "occurrences", "history"
})
public record Anomaly(
    @JsonProperty("id") String id,
    @JsonProperty("tenant") String tenant,
    @JsonProperty("type") String type,
    @JsonProperty("subject") String subject,
    @JsonProperty("service") String service,
    @JsonProperty("identifier") String identifier,
    @JsonProperty("policyModule") @JsonInclude(JsonInclude.Include.ALWAYS) String policyModule,
    @JsonProperty("policyFunction") @JsonInclude(JsonInclude.Include.ALWAYS) String policyFunction,
    @JsonProperty("versionId") @JsonInclude(JsonInclude.Include.ALWAYS) String versionId,
    @JsonIgnore Instant detectedAt,
    @JsonIgnore Instant lastSeenAt,
    @JsonProperty("occurrences") long occurrences,
    @JsonProperty("status") AnomalyStatus status,
    @JsonProperty("severity") Severity severity,
    @JsonProperty("summary") String summary,
    @JsonIgnore Map<String, Object> metrics,
    @JsonProperty("recommendedActions") List<String> recommendedActions,
    @JsonProperty("history") List<HistoryEntry> history) {

  /**
   * Creates a record, copying the collections.
   *
   * @throws NullPointerException if {@code id}, {@code tenant}, {@code type}, {@code subject},
   *     {@code detectedAt}, {@code status} or {@code severity} is null
   */
  public Anomaly {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(detectedAt, "detectedAt");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(severity, "severity");
    lastSeenAt = lastSeenAt == null ? detectedAt : lastSeenAt;
    metrics = Metrics.copyOf(metrics);
    recommendedActions = recommendedActions == null ? List.of() : List.copyOf(recommendedActions);
    history = history == null ? List.of() : List.copyOf(history);
  }

  /**
   * Returns the list-item view of this anomaly, as {@code GET /api/v1/audit/anomalies} shows it.
   *
   * @return the summary
   */
  public AnomalySummary toSummary() {
    return new AnomalySummary(
        id, type, policyModule, policyFunction, versionId, detectedAt, status, severity, summary,
        subject, service, identifier);
  }

  @JsonProperty("detectedAt")
  String detectedAtJson() {
    return JsonViews.instant(detectedAt);
  }

  @JsonProperty("lastSeenAt")
  String lastSeenAtJson() {
    return JsonViews.instant(lastSeenAt);
  }

  @JsonProperty("metrics")
  Map<String, Object> metricsJson() {
    return JsonViews.metrics(metrics);
  }
}
