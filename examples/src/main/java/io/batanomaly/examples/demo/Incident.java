package io.batanomaly.examples.demo;

import io.batanomaly.api.Anomaly;
import java.time.Instant;
import java.util.Objects;

/**
 * An incident a scenario injects into its stream, and the anomaly it should raise.
 *
 * @param type the anomaly type it should raise
 * @param tenant the tenant it happens in
 * @param service the service it concerns, or {@code null} when it is not about one service
 * @param identifier the identifier it concerns (brute force), or {@code null}
 * @param versionId the policy version it concerns, or {@code null}
 * @param start when it starts, in simulated time
 * @param end when it ends, in simulated time
 * @param description what happens, in one line
 */
public record Incident(String type, String tenant, String service, String identifier,
    String versionId, Instant start, Instant end, String description) {

  /**
   * Creates an incident.
   *
   * @throws NullPointerException if type, tenant, start, end or description is null
   */
  public Incident {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    Objects.requireNonNull(description, "description");
  }

  /** @return what the incident is about: the identifier, the version or the service */
  public String subject() {
    if (identifier != null) {
      return identifier;
    }
    return versionId != null ? versionId : service;
  }

  /**
   * Tells whether an anomaly is the one this incident should raise: same type and tenant, and
   * about the same identifier, policy version or service.
   *
   * @param anomaly an anomaly
   * @return {@code true} if it matches
   */
  public boolean matches(Anomaly anomaly) {
    if (!type.equals(anomaly.type()) || !tenant.equals(anomaly.tenant())) {
      return false;
    }
    if (identifier != null) {
      return identifier.equals(anomaly.identifier()) || identifier.equals(anomaly.subject());
    }
    if (versionId != null) {
      return versionId.equals(anomaly.versionId());
    }
    return service == null || service.equals(anomaly.service())
        || service.equals(anomaly.subject());
  }
}
