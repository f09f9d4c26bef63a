package io.batanomaly;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One immutable audit event: a request a host service handled, or a policy evaluation it ran.
 *
 * <p>Build one with {@link #builder()}. The builder never rejects content: an event with a blank
 * tenant, an impossible status or a negative execution time can be built, and
 * {@link AnomalyEngine#ingest} rejects it with a reason while the rest of its batch goes through.
 * That way one bad event in a host's batch never costs the others.
 *
 * <p>Fields:
 *
 * <ul>
 *   <li>{@code tenant}, {@code service}: who the event belongs to (required);
 *   <li>{@code timestamp}: event time (required), kept to the millisecond;
 *   <li>{@code method}: the HTTP method, upper-cased ({@code DELETE}, …), or {@code null};
 *   <li>{@code status}: the HTTP status code, or {@code 0} for "no HTTP status";
 *   <li>{@code identifier}: the user, API client or IP behind the request, or {@code null};
 *   <li>{@code eventType}: a free-form type such as {@code http.request}, or {@code null}; the
 *       engine's own alerts use {@value #ALERT_EVENT_TYPE};
 *   <li>the policy part, for policy evaluations: {@code policyModule}, {@code policyFunction},
 *       {@code versionId}, {@code outcome} and {@code executionTime}.
 * </ul>
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class AuditEvent {

  /** The event type of the events the engine creates for its own alerts. */
  public static final String ALERT_EVENT_TYPE = "system.alert";

  /** {@link #epochMillis()} of an event built without a timestamp. */
  public static final long NO_TIMESTAMP = Long.MIN_VALUE;

  /** {@link #executionTimeNanos()} of an event without an execution time. */
  public static final long NO_EXECUTION_TIME = Long.MIN_VALUE;

  /** {@link #executionTimeNanos()} of an event given a NaN or infinite execution time. */
  public static final long INVALID_EXECUTION_TIME = Long.MIN_VALUE + 1;

  private final String tenant;
  private final String service;
  private final long epochMillis;
  private final String method;
  private final int status;
  private final String identifier;
  private final String eventType;
  private final String policyModule;
  private final String policyFunction;
  private final String versionId;
  private final Outcome outcome;
  private final long executionTimeNanos;
  private final Map<String, String> attributes;
  private final boolean delete;
  private final boolean alert;
  /**
   * {@link #longestFieldLength()} plus one once measured, 0 before. Measured at the first call
   * (the first ingest), not at construction, and kept: a racy but benign cache like
   * {@code String.hash}, since every thread computes the same value from final fields and an
   * int is written atomically.
   */
  private int longestFieldLengthPlusOne;

  private AuditEvent(Builder b) {
    this(b.tenant, b.service, b.epochMillis, b.method, b.status, b.identifier, b.eventType,
        b.policyModule, b.policyFunction, b.versionId, b.outcome, b.executionTimeNanos,
        b.attributes == null ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.attributes)));
  }

  /**
   * Takes the fields as they are: {@code method} already normalised. Reads no string's
   * characters or length, except to compare the method and event type with the two values the
   * hot path asks about, which hosts pass as shared constants: a host's identifier strings are
   * usually not in cache, and most are never read again, so measuring them here would cost more
   * than judging the event. Their length is checked at ingest ({@link #longestFieldLength()}).
   */
  private AuditEvent(String tenant, String service, long epochMillis, String method, int status,
      String identifier, String eventType, String policyModule, String policyFunction,
      String versionId, Outcome outcome, long executionTimeNanos,
      Map<String, String> attributes) {
    this.tenant = tenant;
    this.service = service;
    this.epochMillis = epochMillis;
    this.method = method;
    this.status = status;
    this.identifier = identifier;
    this.eventType = eventType;
    this.policyModule = policyModule;
    this.policyFunction = policyFunction;
    this.versionId = versionId;
    this.outcome = outcome;
    this.executionTimeNanos = executionTimeNanos;
    this.attributes = attributes;
    this.delete = isDeleteMethod(method);
    // decided once here: every detector asks on the hot path
    this.alert = isAlertType(eventType);
  }

  /**
   * Creates the event of one HTTP request without a builder: the cheapest way to make an event
   * from a host's own record. Equivalent to
   * {@code builder().tenant(tenant).service(service).epochMillis(epochMillis).method(method)
   * .status(status).identifier(identifier).build()}; like the builder it never rejects content,
   * which {@link AnomalyEngine#ingest} validates.
   *
   * @param tenant the tenant
   * @param service the service
   * @param epochMillis the event time in epoch milliseconds, or {@link #NO_TIMESTAMP}
   * @param method the HTTP method, any case, or {@code null}
   * @param status the HTTP status code, or 0 for none
   * @param identifier the user, API client or IP behind the request, or {@code null}
   * @return the event
   */
  public static AuditEvent of(String tenant, String service, long epochMillis, String method,
      int status, String identifier) {
    return new AuditEvent(tenant, service, epochMillis, normalizeMethod(method), status,
        identifier, null, null, null, null, null, NO_EXECUTION_TIME, Map.of());
  }

  /** Builds an event of an {@link EventBatch} row: the method is already normalised. */
  static AuditEvent ofFields(String tenant, String service, long epochMillis, String method,
      int status, String identifier, String eventType, String policyModule,
      String policyFunction, String versionId, Outcome outcome, long executionTimeNanos) {
    return new AuditEvent(tenant, service, epochMillis, method, status, identifier, eventType,
        policyModule, policyFunction, versionId, outcome, executionTimeNanos, Map.of());
  }

  /** Converts fractional milliseconds as {@link Builder#executionTimeMillis} documents. */
  static long nanosOfMillis(double millis) {
    if (Double.isNaN(millis) || Double.isInfinite(millis)) {
      return INVALID_EXECUTION_TIME;
    } else if (millis < 0) {
      return -1;
    }
    return (long) Math.min(millis * 1_000_000d, Long.MAX_VALUE);
  }

  /**
   * Normalises an HTTP method the way events store it: trimmed and upper-cased. A method that
   * already is (the usual case) is returned as it is, after one scan of its characters.
   *
   * @param method the method, any case, or {@code null}
   * @return the normalised method, or {@code null}
   */
  static String normalizeMethod(String method) {
    if (method == null) {
      return null;
    }
    int n = method.length();
    for (int i = 0; i < n; i++) {
      char c = method.charAt(i);
      if (c < 'A' || c > 'Z') {
        return method.trim().toUpperCase(Locale.ROOT);
      }
    }
    return method;
  }

  static boolean isDeleteMethod(String method) {
    return "DELETE".equals(method);
  }

  static boolean isAlertType(String eventType) {
    return ALERT_EVENT_TYPE.equals(eventType);
  }

  private static int length(String s) {
    return s == null ? 0 : s.length();
  }

  /**
   * Returns the length of the longest of up to eight string fields.
   *
   * @return the length in characters, 0 if every field is absent
   */
  static int longest(String a, String b, String c, String d, String e, String f, String g,
      String h) {
    return Math.max(Math.max(Math.max(length(a), length(b)), Math.max(length(c), length(d))),
        Math.max(Math.max(length(e), length(f)), Math.max(length(g), length(h))));
  }

  /**
   * Starts a new event.
   *
   * @return an empty builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a builder holding this event's fields, to derive a changed copy.
   *
   * @return a builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.tenant = tenant;
    b.service = service;
    b.epochMillis = epochMillis;
    b.method = method;
    b.status = status;
    b.identifier = identifier;
    b.eventType = eventType;
    b.policyModule = policyModule;
    b.policyFunction = policyFunction;
    b.versionId = versionId;
    b.outcome = outcome;
    b.executionTimeNanos = executionTimeNanos;
    b.attributes = attributes.isEmpty() ? null : new LinkedHashMap<>(attributes);
    return b;
  }

  /** @return the tenant, possibly null or blank on an event that ingest will reject */
  public String tenant() {
    return tenant;
  }

  /** @return the service, possibly null or blank on an event that ingest will reject */
  public String service() {
    return service;
  }

  /** @return the event time in epoch milliseconds, or {@link #NO_TIMESTAMP} */
  public long epochMillis() {
    return epochMillis;
  }

  /**
   * Returns the event time.
   *
   * @return the event time, or {@code null} when the event has none
   */
  public Instant timestamp() {
    return epochMillis == NO_TIMESTAMP ? null : Instant.ofEpochMilli(epochMillis);
  }

  /** @return the upper-cased HTTP method, or {@code null} */
  public String method() {
    return method;
  }

  /** @return whether the method is {@code DELETE} */
  public boolean isDelete() {
    return delete;
  }

  /** @return the HTTP status code, or 0 when the event has none */
  public int status() {
    return status;
  }

  /** @return whether the status is a client or server error (400 to 599) */
  public boolean isError() {
    return status >= 400 && status <= 599;
  }

  /** @return the user, API client or IP behind the event, or {@code null} */
  public String identifier() {
    return identifier;
  }

  /**
   * Returns the length of the longest of the event's string fields (tenant, service, method,
   * identifier, event type, policy module, policy function, version id), which the engine
   * compares to {@code ANOMALY_MAX_FIELD_LENGTH} at ingest. Measured at the first call, not
   * when the event is built (reading every string's length costs a host more than building the
   * event), and kept for later calls.
   *
   * @return the length in characters, 0 if every field is absent
   */
  public int longestFieldLength() {
    int cached = longestFieldLengthPlusOne;
    if (cached == 0) {
      cached = 1 + longest(tenant, service, method, identifier, eventType, policyModule,
          policyFunction, versionId);
      longestFieldLengthPlusOne = cached;
    }
    return cached - 1;
  }

  /** @return the event type, or {@code null} */
  public String eventType() {
    return eventType;
  }

  /** @return whether this is one of the engine's own {@value #ALERT_EVENT_TYPE} events */
  public boolean isAlert() {
    return alert;
  }

  /** @return the policy module, or {@code null} when this is not a policy evaluation */
  public String policyModule() {
    return policyModule;
  }

  /** @return the policy function, or {@code null} */
  public String policyFunction() {
    return policyFunction;
  }

  /** @return the policy version id, or {@code null} */
  public String versionId() {
    return versionId;
  }

  /** @return whether the event carries a policy module, function and version */
  public boolean isPolicyEvaluation() {
    return policyModule != null && policyFunction != null && versionId != null;
  }

  /** @return the evaluation outcome, or {@code null} */
  public Outcome outcome() {
    return outcome;
  }

  /**
   * Returns the execution time in nanoseconds.
   *
   * @return the execution time, {@link #NO_EXECUTION_TIME} when absent, or
   *     {@link #INVALID_EXECUTION_TIME} when it was given as NaN or infinite; a negative value
   *     otherwise means a negative duration was given
   */
  public long executionTimeNanos() {
    return executionTimeNanos;
  }

  /** @return whether the event carries a usable (present, non-negative) execution time */
  public boolean hasExecutionTime() {
    return executionTimeNanos >= 0;
  }

  /**
   * Returns free-form attributes. The engine's {@value #ALERT_EVENT_TYPE} events carry the
   * anomaly's {@code anomalyId}, {@code anomalyType}, {@code subject}, {@code severity},
   * {@code status} and {@code summary} here.
   *
   * @return an unmodifiable map, empty when there are none
   */
  public Map<String, String> attributes() {
    return attributes;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof AuditEvent)) {
      return false;
    }
    AuditEvent e = (AuditEvent) o;
    return epochMillis == e.epochMillis
        && status == e.status
        && executionTimeNanos == e.executionTimeNanos
        && Objects.equals(tenant, e.tenant)
        && Objects.equals(service, e.service)
        && Objects.equals(method, e.method)
        && Objects.equals(identifier, e.identifier)
        && Objects.equals(eventType, e.eventType)
        && Objects.equals(policyModule, e.policyModule)
        && Objects.equals(policyFunction, e.policyFunction)
        && Objects.equals(versionId, e.versionId)
        && outcome == e.outcome
        && attributes.equals(e.attributes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(tenant, service, epochMillis, method, status, identifier, versionId);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("AuditEvent{tenant=").append(tenant)
        .append(", service=").append(service)
        .append(", timestamp=").append(epochMillis == NO_TIMESTAMP ? "none" : timestamp());
    if (method != null) {
      sb.append(", method=").append(method);
    }
    if (status != 0) {
      sb.append(", status=").append(status);
    }
    if (identifier != null) {
      sb.append(", identifier=").append(identifier);
    }
    if (eventType != null) {
      sb.append(", eventType=").append(eventType);
    }
    if (versionId != null || policyModule != null) {
      sb.append(", policy=").append(policyModule).append('/').append(policyFunction)
          .append('@').append(versionId).append(", outcome=").append(outcome);
    }
    if (executionTimeNanos != NO_EXECUTION_TIME) {
      sb.append(", executionTimeNanos=").append(executionTimeNanos);
    }
    if (!attributes.isEmpty()) {
      sb.append(", attributes=").append(attributes);
    }
    return sb.append('}').toString();
  }

  /**
   * Builds an {@link AuditEvent}. Setters accept any value; validation happens at ingest.
   * Not thread-safe.
   */
  public static final class Builder {
    private String tenant;
    private String service;
    private long epochMillis = NO_TIMESTAMP;
    private String method;
    private int status;
    private String identifier;
    private String eventType;
    private String policyModule;
    private String policyFunction;
    private String versionId;
    private Outcome outcome;
    private long executionTimeNanos = NO_EXECUTION_TIME;
    private Map<String, String> attributes;

    private Builder() {}

    /**
     * Adds a free-form attribute.
     *
     * @param name the name
     * @param value the value; {@code null} removes the attribute
     * @return this builder
     */
    public Builder attribute(String name, String value) {
      if (attributes == null) {
        attributes = new LinkedHashMap<>();
      }
      if (value == null) {
        attributes.remove(name);
      } else {
        attributes.put(Objects.requireNonNull(name, "name"), value);
      }
      return this;
    }

    /** @param tenant the tenant; @return this builder */
    public Builder tenant(String tenant) {
      this.tenant = tenant;
      return this;
    }

    /** @param service the service; @return this builder */
    public Builder service(String service) {
      this.service = service;
      return this;
    }

    /**
     * Sets the event time. Instants outside the range of epoch milliseconds are clamped to it
     * (and then rejected at ingest as too far in the past or future).
     *
     * @param timestamp the event time, or {@code null} for none
     * @return this builder
     */
    public Builder timestamp(Instant timestamp) {
      if (timestamp == null) {
        this.epochMillis = NO_TIMESTAMP;
      } else {
        try {
          this.epochMillis = timestamp.toEpochMilli();
        } catch (ArithmeticException overflow) {
          this.epochMillis = timestamp.getEpochSecond() < 0 ? NO_TIMESTAMP + 1 : Long.MAX_VALUE;
        }
      }
      return this;
    }

    /** @param epochMillis the event time in epoch milliseconds; @return this builder */
    public Builder epochMillis(long epochMillis) {
      this.epochMillis = epochMillis;
      return this;
    }

    /** @param method the HTTP method, any case, or {@code null}; @return this builder */
    public Builder method(String method) {
      this.method = normalizeMethod(method);
      return this;
    }

    /** @param status the HTTP status code, or 0 for none; @return this builder */
    public Builder status(int status) {
      this.status = status;
      return this;
    }

    /** @param identifier user, API client or IP, or {@code null}; @return this builder */
    public Builder identifier(String identifier) {
      this.identifier = identifier;
      return this;
    }

    /** @param eventType the event type, or {@code null}; @return this builder */
    public Builder eventType(String eventType) {
      this.eventType = eventType;
      return this;
    }

    /** @param policyModule the policy module; @return this builder */
    public Builder policyModule(String policyModule) {
      this.policyModule = policyModule;
      return this;
    }

    /** @param policyFunction the policy function; @return this builder */
    public Builder policyFunction(String policyFunction) {
      this.policyFunction = policyFunction;
      return this;
    }

    /** @param versionId the policy version id; @return this builder */
    public Builder versionId(String versionId) {
      this.versionId = versionId;
      return this;
    }

    /** @param outcome the evaluation outcome; @return this builder */
    public Builder outcome(Outcome outcome) {
      this.outcome = outcome;
      return this;
    }

    /**
     * Sets the execution time.
     *
     * @param executionTime the duration, or {@code null} for none; a negative one is kept and
     *     rejected at ingest
     * @return this builder
     */
    public Builder executionTime(Duration executionTime) {
      if (executionTime == null) {
        this.executionTimeNanos = NO_EXECUTION_TIME;
      } else {
        try {
          this.executionTimeNanos = executionTime.toNanos();
        } catch (ArithmeticException overflow) {
          this.executionTimeNanos = executionTime.isNegative() ? -1 : Long.MAX_VALUE;
        }
      }
      return this;
    }

    /**
     * Sets the execution time in nanoseconds, as a primitive: no {@link Duration} to create.
     *
     * @param nanos the duration in nanoseconds, or {@link AuditEvent#NO_EXECUTION_TIME} for
     *     none; a negative one is kept and rejected at ingest
     * @return this builder
     */
    public Builder executionTimeNanos(long nanos) {
      this.executionTimeNanos = nanos;
      return this;
    }

    /**
     * Sets the execution time in (fractional) milliseconds.
     *
     * @param millis the duration; NaN, infinite and negative values are kept and rejected at
     *     ingest
     * @return this builder
     */
    public Builder executionTimeMillis(double millis) {
      this.executionTimeNanos = nanosOfMillis(millis);
      return this;
    }

    /**
     * Builds the event. Never throws for content.
     *
     * @return the event
     */
    public AuditEvent build() {
      return new AuditEvent(this);
    }
  }
}
