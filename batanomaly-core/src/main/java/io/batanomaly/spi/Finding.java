package io.batanomaly.spi;

import io.batanomaly.api.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a detector reports: an anomaly type for a subject of a tenant, with severity, summary,
 * evidence and recommended actions. The engine turns findings into anomalies: a finding for a
 * (tenant, type, subject) that already has an active anomaly updates it instead of opening
 * another.
 *
 * @param tenant the tenant
 * @param type the anomaly type, upper snake case
 * @param subject what it is about: a service, an identifier, a policy version
 * @param service the service concerned, or {@code null}
 * @param identifier the identifier concerned, or {@code null}
 * @param policyModule the policy module, or {@code null}
 * @param policyFunction the policy function, or {@code null}
 * @param versionId the policy version, or {@code null}
 * @param severity how severe
 * @param summary one line a person can act on
 * @param metrics the evidence, in the order it should be shown
 * @param recommendedActions what to do about it
 */
public record Finding(
    String tenant,
    String type,
    String subject,
    String service,
    String identifier,
    String policyModule,
    String policyFunction,
    String versionId,
    Severity severity,
    String summary,
    Map<String, Object> metrics,
    List<String> recommendedActions) {

  /**
   * Creates a finding.
   *
   * @throws NullPointerException if tenant, type, subject, severity or summary is null
   */
  public Finding {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(summary, "summary");
    metrics = metrics == null ? Map.of() : java.util.Collections.unmodifiableMap(
        new LinkedHashMap<>(metrics));
    recommendedActions = recommendedActions == null ? List.of() : List.copyOf(recommendedActions);
  }

  /**
   * Starts a finding.
   *
   * @param tenant the tenant
   * @param type the anomaly type
   * @param subject what it is about
   * @return a builder
   */
  public static Builder builder(String tenant, String type, String subject) {
    return new Builder(tenant, type, subject);
  }

  /** Builds a {@link Finding}. Not thread-safe. */
  public static final class Builder {
    private final String tenant;
    private final String type;
    private final String subject;
    private String service;
    private String identifier;
    private String policyModule;
    private String policyFunction;
    private String versionId;
    private Severity severity = Severity.MEDIUM;
    private String summary;
    private final Map<String, Object> metrics = new LinkedHashMap<>();
    private final List<String> actions = new ArrayList<>();

    private Builder(String tenant, String type, String subject) {
      this.tenant = tenant;
      this.type = type;
      this.subject = subject;
    }

    /** @param service the service concerned; @return this builder */
    public Builder service(String service) {
      this.service = service;
      return this;
    }

    /** @param identifier the identifier concerned; @return this builder */
    public Builder identifier(String identifier) {
      this.identifier = identifier;
      return this;
    }

    /**
     * Sets the policy version concerned.
     *
     * @param module the policy module
     * @param function the policy function
     * @param versionId the version
     * @return this builder
     */
    public Builder policy(String module, String function, String versionId) {
      this.policyModule = module;
      this.policyFunction = function;
      this.versionId = versionId;
      return this;
    }

    /** @param severity the severity; @return this builder */
    public Builder severity(Severity severity) {
      this.severity = severity;
      return this;
    }

    /** @param summary one line a person can act on; @return this builder */
    public Builder summary(String summary) {
      this.summary = summary;
      return this;
    }

    /**
     * Adds one piece of evidence. Times are best given as {@link java.time.Instant}.
     *
     * @param name the metric name, lower camel case
     * @param value its value, not null
     * @return this builder
     */
    public Builder metric(String name, Object value) {
      metrics.put(name, Objects.requireNonNull(value, name));
      return this;
    }

    /** @param action a recommended action; @return this builder */
    public Builder action(String action) {
      actions.add(action);
      return this;
    }

    /** @return the finding */
    public Finding build() {
      return new Finding(tenant, type, subject, service, identifier, policyModule,
          policyFunction, versionId, severity, summary, metrics, actions);
    }
  }
}
