package io.batanomaly.api;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;

/**
 * One item of {@code GET /api/v1/audit/anomalies}: the documented list fields, then what the
 * anomaly is about for the audit-event types. Fields that do not apply are left out of the JSON.
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
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "id", "type", "policyModule", "policyFunction", "versionId", "detectedAt", "status",
  "severity", "summary", "subject", "service", "identifier"
})
public record AnomalySummary(
    String id,
    String type,
    String policyModule,
    String policyFunction,
    String versionId,
    @JsonFormat(shape = JsonFormat.Shape.STRING, timezone = "UTC") Instant detectedAt,
    AnomalyStatus status,
    Severity severity,
    String summary,
    String subject,
    String service,
    String identifier) {}
