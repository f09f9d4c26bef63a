package io.batanomaly.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;

/**
 * One item of {@code GET /api/v1/audit/anomalies}: the documented list fields, then what the
 * anomaly is about for the audit-event types. Fields that do not apply are left out of the JSON.
 * In JSON, {@code detectedAt} is an ISO-8601 UTC string to the second, such as
 * {@code 2024-01-15T10:30:00Z}, whatever the settings of the {@code ObjectMapper}.
 *
 * @param id unique identifier
 * @param type anomaly type
 * @param policyModule the affected policy module, for policy-version types
 * @param policyFunction the affected policy function, for policy-version types
 * @param versionId the policy version involved, for policy-version types
 * @param detectedAt when the anomaly was first detected
 * @param status current triage status
 * @param severity assessed severity
 * @param summary short human-readable description
 * @param subject what the anomaly is about: a service, an identifier or a policy version
 * @param service the service concerned, when there is one
 * @param identifier the user, API client or IP concerned, when there is one
 */
// absent values are left out, except the three policy fields the documented schema lists on
// every item: those are written as null for an audit anomaly
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "id", "type", "policyModule", "policyFunction", "versionId", "detectedAt", "status",
  "severity", "summary", "subject", "service", "identifier"
})
public record AnomalySummary(
    @JsonProperty("id") String id,
    @JsonProperty("type") String type,
    @JsonProperty("policyModule") @JsonInclude(JsonInclude.Include.ALWAYS) String policyModule,
    @JsonProperty("policyFunction") @JsonInclude(JsonInclude.Include.ALWAYS) String policyFunction,
    @JsonProperty("versionId") @JsonInclude(JsonInclude.Include.ALWAYS) String versionId,
    @JsonIgnore Instant detectedAt,
    @JsonProperty("status") AnomalyStatus status,
    @JsonProperty("severity") Severity severity,
    @JsonProperty("summary") String summary,
    @JsonProperty("subject") String subject,
    @JsonProperty("service") String service,
    @JsonProperty("identifier") String identifier) {

  @JsonProperty("detectedAt")
  String detectedAtJson() {
    return JsonViews.instant(detectedAt);
  }
}
