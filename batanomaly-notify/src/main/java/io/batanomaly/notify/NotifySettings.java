package io.batanomaly.notify;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.Setting;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings of the webhook and Web Push notifiers. The engine validates them when it is
 * built, together with its own (through {@link NotifyProvider}); {@link #check(AnomalyConfig)} adds the rules that span several
 * keys (a webhook URL needs a signing secret, a VAPID key needs its pair).
 *
 * <p>Web Push deliveries use the same timeouts and retry policy as webhooks.
 */
public final class NotifySettings {
  private NotifySettings() {}

  /** All-tenant webhook targets; when any is set, the engine sends every notification to each. */
  public static final Setting<List<URI>> WEBHOOK_URLS = Setting.httpUrls("ANOMALY_WEBHOOK_URLS",
      "comma-separated webhook URLs of the operator, receiving every tenant's notifications;"
          + " when set, the engine posts every notification to each");

  /** The Standard Webhooks signing secret of the {@link #WEBHOOK_URLS} targets. */
  public static final Setting<String> WEBHOOK_SECRET = Setting.text("ANOMALY_WEBHOOK_SECRET", "",
      "secret that signs deliveries to ANOMALY_WEBHOOK_URLS (Standard Webhooks: whsec_ and the"
          + " base64 of 24 to 64 random bytes); required with ANOMALY_WEBHOOK_URLS");

  /** Time allowed to open a connection to a receiver. */
  public static final Setting<Duration> WEBHOOK_CONNECT_TIMEOUT = Setting.duration(
      "ANOMALY_WEBHOOK_CONNECT_TIMEOUT", Duration.ofSeconds(5), "time allowed to connect to a"
          + " webhook receiver or push service");

  /** Time allowed for a receiver to answer one delivery attempt. */
  public static final Setting<Duration> WEBHOOK_REQUEST_TIMEOUT = Setting.duration(
      "ANOMALY_WEBHOOK_REQUEST_TIMEOUT", Duration.ofSeconds(10), "time allowed for a receiver"
          + " to answer one attempt; a receiver that does not answer in time is retried");

  /** Attempts per delivery, the first included. */
  public static final Setting<Integer> WEBHOOK_MAX_ATTEMPTS = Setting.positiveInt(
      "ANOMALY_WEBHOOK_MAX_ATTEMPTS", 10, "attempts per delivery, the first included, before it"
          + " goes to the dead-letter list");

  /** How long after its first attempt a delivery may still be retried. */
  public static final Setting<Duration> WEBHOOK_MAX_AGE = Setting.duration(
      "ANOMALY_WEBHOOK_MAX_AGE", Duration.ofHours(24), "how long after its first attempt a"
          + " delivery may still be retried before it goes to the dead-letter list");

  /** Backoff before the first retry; it doubles with each attempt. */
  public static final Setting<Duration> WEBHOOK_INITIAL_BACKOFF = Setting.duration(
      "ANOMALY_WEBHOOK_INITIAL_BACKOFF", Duration.ofSeconds(1), "backoff before the first retry;"
          + " doubles per attempt, with jitter");

  /** The longest backoff between two attempts, unless a Retry-After asks for more. */
  public static final Setting<Duration> WEBHOOK_MAX_BACKOFF = Setting.duration(
      "ANOMALY_WEBHOOK_MAX_BACKOFF", Duration.ofMinutes(10), "longest backoff between two"
          + " attempts (a Retry-After may ask for more)");

  /** Deliveries kept in the dead-letter list. */
  public static final Setting<Integer> WEBHOOK_DEAD_LETTER_CAP = Setting.positiveInt(
      "ANOMALY_WEBHOOK_DEAD_LETTER_CAP", 1000, "failed deliveries kept for the host to read and"
          + " replay; when full, the oldest is dropped and counted");

  /** Deliveries waiting for an attempt or a retry. */
  public static final Setting<Integer> WEBHOOK_MAX_PENDING = Setting.positiveInt(
      "ANOMALY_WEBHOOK_MAX_PENDING", 10_000, "deliveries waiting for an attempt or a retry;"
          + " beyond it new ones go straight to the dead-letter list");

  /** The VAPID public key, an uncompressed P-256 point in base64url. */
  public static final Setting<String> WEBPUSH_VAPID_PUBLIC_KEY = Setting.text(
      "ANOMALY_WEBPUSH_VAPID_PUBLIC_KEY", "", "VAPID public key (65-byte uncompressed P-256"
          + " point, base64url), the applicationServerKey browsers subscribe with");

  /** The VAPID private key, a P-256 scalar in base64url. */
  public static final Setting<String> WEBPUSH_VAPID_PRIVATE_KEY = Setting.text(
      "ANOMALY_WEBPUSH_VAPID_PRIVATE_KEY", "", "VAPID private key (32-byte P-256 scalar,"
          + " base64url)");

  /** The contact the push services may reach: a mailto: or https: URL. */
  public static final Setting<String> WEBPUSH_SUBJECT = Setting.text("ANOMALY_WEBPUSH_SUBJECT",
      "", "contact for push services, a mailto: or https: URL (the VAPID sub claim)");

  /** How long a push service keeps an undelivered message. */
  public static final Setting<Duration> WEBPUSH_TTL = Setting.duration("ANOMALY_WEBPUSH_TTL",
      Duration.ofHours(24), "how long a push service keeps a message for an offline browser");

  /**
   * Every setting of this package, in settings-table order.
   *
   * @return the settings
   */
  public static List<Setting<?>> all() {
    return List.of(WEBHOOK_URLS, WEBHOOK_SECRET, WEBHOOK_CONNECT_TIMEOUT, WEBHOOK_REQUEST_TIMEOUT,
        WEBHOOK_MAX_ATTEMPTS, WEBHOOK_MAX_AGE, WEBHOOK_INITIAL_BACKOFF, WEBHOOK_MAX_BACKOFF,
        WEBHOOK_DEAD_LETTER_CAP, WEBHOOK_MAX_PENDING, WEBPUSH_VAPID_PUBLIC_KEY,
        WEBPUSH_VAPID_PRIVATE_KEY, WEBPUSH_SUBJECT, WEBPUSH_TTL);
  }

  /**
   * Checks the rules that span several keys. Call it after every key of {@link #all()} parses.
   *
   * @param config the configuration
   * @return one message per broken rule, empty when all hold
   */
  public static List<String> check(AnomalyConfig config) {
    List<String> errors = new ArrayList<>();
    for (Setting<Duration> positive : List.of(WEBHOOK_CONNECT_TIMEOUT, WEBHOOK_REQUEST_TIMEOUT,
        WEBHOOK_INITIAL_BACKOFF, WEBHOOK_MAX_BACKOFF, WEBHOOK_MAX_AGE, WEBPUSH_TTL)) {
      if (config.get(positive).isZero()) {
        errors.add(positive.key() + " must be a positive duration, but was '"
            + config.raw(positive.key()) + "'");
      }
    }
    String secret = config.get(WEBHOOK_SECRET);
    if (!config.get(WEBHOOK_URLS).isEmpty() && secret.isBlank()) {
      errors.add(WEBHOOK_SECRET.key() + " must be set when " + WEBHOOK_URLS.key()
          + " is, but was '" + secret + "'");
    } else if (!secret.isBlank() && WebhookSignature.problem(secret) != null) {
      errors.add(WEBHOOK_SECRET.key() + " " + WebhookSignature.problem(secret)
          + " (Standard Webhooks: whsec_ and the base64 of 24 to 64 random bytes;"
          + " WebhookSignature.newSecret() makes one), but was '"
          + WebhookSignature.masked(secret) + "'");
    }
    String pub = config.get(WEBPUSH_VAPID_PUBLIC_KEY);
    String priv = config.get(WEBPUSH_VAPID_PRIVATE_KEY);
    if (!pub.isBlank() || !priv.isBlank()) {
      try {
        VapidKeys.of(pub, priv);
      } catch (IllegalArgumentException e) {
        errors.add(e.getMessage());
      }
      String subject = config.get(WEBPUSH_SUBJECT);
      if (!Vapid.isSubject(subject)) {
        errors.add(WEBPUSH_SUBJECT.key() + " must be a mailto: or https: URL when VAPID keys"
            + " are set, but was '" + subject + "'");
      }
    }
    return errors;
  }

  /** Every key of {@link #all()} parsed, then {@link #check}: one message per problem. */
  static List<String> errors(AnomalyConfig config) {
    List<String> errors = config.validate(all());
    return errors.isEmpty() ? check(config) : errors;
  }

  /**
   * The retry policy these settings describe.
   *
   * @param config the configuration
   * @return the policy
   */
  public static RetryPolicy retryPolicy(AnomalyConfig config) {
    return new RetryPolicy(config.get(WEBHOOK_MAX_ATTEMPTS), config.get(WEBHOOK_MAX_AGE),
        config.get(WEBHOOK_INITIAL_BACKOFF), config.get(WEBHOOK_MAX_BACKOFF));
  }
}
