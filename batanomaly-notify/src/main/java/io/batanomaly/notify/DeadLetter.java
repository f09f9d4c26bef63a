package io.batanomaly.notify;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * A delivery that was given up: the receiver refused it, or it failed every attempt allowed,
 * or its retries would have outlived the maximum age, or the notifier was closed while it
 * waited. The host reads these, stores or alerts on them, and may replay them.
 *
 * @param deliveryId the delivery id, the same as the receiver saw in its attempts
 * @param target the receiver's URL (the push endpoint, for Web Push)
 * @param event what the notification was, such as {@code anomaly.opened}
 * @param anomalyId the anomaly it was about
 * @param body the JSON body (for Web Push, the plaintext before encryption)
 * @param attempts attempts made
 * @param firstAttemptAt when it was first submitted
 * @param failedAt when it was given up
 * @param lastStatus the HTTP status of the last answer, or {@code 0} if there was none
 * @param reason why it was given up
 */
public record DeadLetter(String deliveryId, URI target, String event, String anomalyId,
    String body, int attempts, Instant firstAttemptAt, Instant failedAt, int lastStatus,
    String reason) {

  /**
   * Checks the record.
   *
   * @throws NullPointerException if {@code deliveryId}, {@code target} or {@code body} is null
   */
  public DeadLetter {
    Objects.requireNonNull(deliveryId, "deliveryId");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(body, "body");
  }
}
