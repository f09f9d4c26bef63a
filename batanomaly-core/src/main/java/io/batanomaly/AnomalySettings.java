package io.batanomaly;

import java.time.Duration;
import java.util.List;

/**
 * The engine's own settings and the settings of the five audit-event detectors, exactly as
 * documented: names and defaults. Detectors that need more knobs declare them in their own
 * package and return them from {@link io.batanomaly.spi.DetectorProvider#settings()}.
 */
public final class AnomalySettings {
  private AnomalySettings() {}

  /** Z-score threshold of the volume-spike detector. */
  public static final Setting<Double> VOLUME_THRESHOLD = Setting.positiveDouble(
      "ANOMALY_VOLUME_THRESHOLD", 3.0, "z-score threshold of the volume-spike detector");

  /** Sliding window of the volume-spike detector (its rolling baseline). */
  public static final Setting<Duration> VOLUME_WINDOW = Setting.seconds(
      "ANOMALY_VOLUME_WINDOW", 300, "sliding window (rolling baseline) of the volume-spike"
          + " detector, in seconds");

  /** Error-rate threshold, in percent. */
  public static final Setting<Double> ERROR_RATE_THRESHOLD = Setting.percentage(
      "ANOMALY_ERROR_RATE_THRESHOLD", 20.0, "share of 4xx + 5xx responses that raises an"
          + " error_rate alert, in percent");

  /** Sliding window of the error-rate detector. */
  public static final Setting<Duration> ERROR_RATE_WINDOW = Setting.seconds(
      "ANOMALY_ERROR_RATE_WINDOW", 300, "sliding window of the error-rate detector, in seconds");

  /** Number of 401 responses from one identifier that raises a brute-force alert. */
  public static final Setting<Integer> BRUTE_FORCE_THRESHOLD = Setting.positiveInt(
      "ANOMALY_BRUTE_FORCE_THRESHOLD", 10, "401 responses from one identifier that raise a"
          + " brute_force alert");

  /** Sliding window of the brute-force detector. */
  public static final Setting<Duration> BRUTE_FORCE_WINDOW = Setting.seconds(
      "ANOMALY_BRUTE_FORCE_WINDOW", 300, "sliding window of the brute-force detector, in seconds");

  /** Number of DELETE requests of one service that raises a mass-delete alert. */
  public static final Setting<Integer> MASS_DELETE_THRESHOLD = Setting.positiveInt(
      "ANOMALY_MASS_DELETE_THRESHOLD", 50, "DELETE requests of one service that raise a"
          + " mass_delete alert");

  /** Sliding window of the mass-delete detector. */
  public static final Setting<Duration> MASS_DELETE_WINDOW = Setting.seconds(
      "ANOMALY_MASS_DELETE_WINDOW", 300, "sliding window of the mass-delete detector, in seconds");

  /** Silence after which an active service is reported silent. */
  public static final Setting<Duration> SILENT_SERVICE_MINUTES = Setting.minutes(
      "ANOMALY_SILENT_SERVICE_MINUTES", 15, "silence after which an active service raises a"
          + " silent_service alert, in minutes");

  /** Cooldown between two anomalies of the same rule for the same subject. */
  public static final Setting<Duration> COOLDOWN = Setting.duration(
      "ANOMALY_COOLDOWN", Duration.ofMinutes(5), "after an anomaly closes, the same rule for the"
          + " same subject opens no new one until this has passed (5m, 30s, 1h or seconds)");

  /** How long a dismissed anomaly holds back new anomalies of the same type and subject. */
  public static final Setting<Duration> DISMISSED_SUPPRESSION = Setting.duration(
      "ANOMALY_DISMISSED_SUPPRESSION", Duration.ofHours(24), "after an anomaly is DISMISSED,"
          + " findings of the same type and subject no more severe than it open no new anomaly"
          + " for this long (at least ANOMALY_COOLDOWN); a more severe finding opens one at once");

  /** How far behind a tenant's newest event time an event may arrive and still be counted. */
  public static final Setting<Duration> ALLOWED_LATENESS = Setting.duration(
      "ANOMALY_ALLOWED_LATENESS", Duration.ofSeconds(10), "how far behind the tenant's newest"
          + " event time an event may arrive and still be counted; older events are rejected"
          + " as late");

  /** How far ahead of the engine clock an event time may be. */
  public static final Setting<Duration> MAX_FUTURE_SKEW = Setting.duration(
      "ANOMALY_MAX_FUTURE_SKEW", Duration.ofMinutes(5), "how far ahead of the engine clock an"
          + " event time may be before the event is rejected");

  /** How far behind the engine clock an event time may be. */
  public static final Setting<Duration> MAX_EVENT_AGE = Setting.duration(
      "ANOMALY_MAX_EVENT_AGE", Duration.ofDays(7), "how far behind the engine clock an event"
          + " time may be before the event is rejected as too old");

  /** Longest accepted string field of an event. */
  public static final Setting<Integer> MAX_FIELD_LENGTH = Setting.positiveInt(
      "ANOMALY_MAX_FIELD_LENGTH", 1024, "longest accepted string field of an event, in"
          + " characters");

  /** Number of tenants the engine tracks at once. */
  public static final Setting<Integer> MAX_TENANTS = Setting.positiveInt(
      "ANOMALY_MAX_TENANTS", 10_000, "tenants tracked at once; events of further tenants are"
          + " rejected and counted");

  /** Number of services tracked per tenant. */
  public static final Setting<Integer> MAX_SERVICES_PER_TENANT = Setting.positiveInt(
      "ANOMALY_MAX_SERVICES_PER_TENANT", 10_000, "services tracked per tenant; idle ones are"
          + " evicted first, then events of further services are rejected and counted");

  /** Interval of the engine's own tick scheduler. */
  public static final Setting<Duration> TICK_INTERVAL = Setting.duration(
      "ANOMALY_TICK_INTERVAL", Duration.ofSeconds(10), "interval of the engine's own tick"
          + " (silent-service checks, expiry); 0 leaves ticking to the host's tick() calls");

  /** Detectors switched off, by name or anomaly type. */
  public static final Setting<String> DISABLED_DETECTORS = Setting.text(
      "ANOMALY_DISABLED_DETECTORS", "", "comma-separated detector names or anomaly types to"
          + " switch off, such as brute_force,MASS_DELETE");

  /** Capacity of the listener notification queue. */
  public static final Setting<Integer> LISTENER_QUEUE_CAPACITY = Setting.positiveInt(
      "ANOMALY_LISTENER_QUEUE_CAPACITY", 10_000, "notifications waiting for each listener;"
          + " when a listener's queue is full, new ones for it are dropped and counted");

  /** How long a verification job may run before the anomaly returns to OPEN. */
  public static final Setting<Duration> VERIFY_TIMEOUT = Setting.duration(
      "ANOMALY_VERIFY_TIMEOUT", Duration.ofSeconds(30), "how long a verification job may run"
          + " (by the engine clock, checked on ticks) before the anomaly returns to OPEN");

  /** How long the outcome of an Idempotency-Key is kept. */
  public static final Setting<Duration> IDEMPOTENCY_TTL = Setting.positiveDuration(
      "ANOMALY_IDEMPOTENCY_TTL", Duration.ofHours(24), "how long the outcome of a status"
          + " update with an Idempotency-Key is kept and replayed; 0 is refused, since it would"
          + " silently replay nothing");

  /** Number of Idempotency-Keys kept. */
  public static final Setting<Integer> IDEMPOTENCY_MAX_KEYS = Setting.positiveInt(
      "ANOMALY_IDEMPOTENCY_MAX_KEYS", 100_000, "Idempotency-Keys kept at most, over all"
          + " tenants; when full the oldest completed ones are dropped and counted");

  /** How long an unfinished Idempotency-Key claim blocks its key. */
  public static final Setting<Duration> IDEMPOTENCY_LEASE = Setting.duration(
      "ANOMALY_IDEMPOTENCY_LEASE", Duration.ofSeconds(60), "how long a status update with an"
          + " Idempotency-Key holds its key before it finishes; a retry in that time is a 409,"
          + " after it (the engine running the first died) the retry runs");

  /** Findings kept while the anomaly store is unavailable. */
  public static final Setting<Integer> STORE_BUFFER = Setting.positiveInt(
      "ANOMALY_STORE_BUFFER", 10_000, "findings kept in memory while the anomaly store is"
          + " unavailable and stored in order once it answers (retried on ticks); beyond it"
          + " new findings are dropped and counted");

  /** Anomalies kept per tenant by the in-memory repository. */
  public static final Setting<Integer> MAX_ANOMALIES_PER_TENANT = Setting.positiveInt(
      "ANOMALY_MAX_ANOMALIES_PER_TENANT", 10_000, "anomalies the in-memory repository keeps"
          + " per tenant; when full the closed one idle longest is removed (else the oldest"
          + " active one)");

  /** How long the in-memory repository keeps a closed anomaly. */
  public static final Setting<Duration> RETENTION = Setting.duration(
      "ANOMALY_RETENTION", Duration.ofDays(30), "how long the anomaly store (in memory or JDBC)"
          + " keeps a closed anomaly after its last activity (last finding or status change)");

  /**
   * Every setting the core declares, in settings-table order.
   *
   * @return the settings
   */
  public static List<Setting<?>> all() {
    return List.of(
        VOLUME_THRESHOLD, VOLUME_WINDOW, ERROR_RATE_THRESHOLD, ERROR_RATE_WINDOW,
        BRUTE_FORCE_THRESHOLD, BRUTE_FORCE_WINDOW, MASS_DELETE_THRESHOLD, MASS_DELETE_WINDOW,
        SILENT_SERVICE_MINUTES, COOLDOWN, DISMISSED_SUPPRESSION, ALLOWED_LATENESS,
        MAX_FUTURE_SKEW, MAX_EVENT_AGE, MAX_FIELD_LENGTH,
        MAX_TENANTS, MAX_SERVICES_PER_TENANT, TICK_INTERVAL, DISABLED_DETECTORS,
        LISTENER_QUEUE_CAPACITY, VERIFY_TIMEOUT, IDEMPOTENCY_TTL, IDEMPOTENCY_MAX_KEYS,
        IDEMPOTENCY_LEASE, STORE_BUFFER, MAX_ANOMALIES_PER_TENANT, RETENTION);
  }
}
