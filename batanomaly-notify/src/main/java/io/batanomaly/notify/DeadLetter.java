package io.batanomaly.notify;

import java.time.Instant;
import java.util.Objects;

/**
 * A delivery that was given up: the receiver refused it, or it failed every attempt allowed,
 * or its retries would have outlived the maximum age, or the notifier was closed while it
 * waited (with an outbox that does not survive the process). The host reads these, stores or
 * alerts on them, and may replay them.
 *
 * @param deliveryId the delivery id, the same as the receiver saw in its attempts
 * @param targetId the target: a {@link WebhookTarget#id()}, or the push endpoint for Web Push
 * @param tenant the tenant of the notification
 * @param event what the notification was, such as {@code anomaly.opened}
 * @param anomalyId the anomaly it was about
 * @param body the JSON body (for Web Push, the plaintext before encryption)
 * @param attempts attempts made
 * @param firstAttemptAt when it was first submitted
 * @param failedAt when it was given up
 * @param lastStatus the HTTP status of the last answer, or {@code 0} if there was none
 * @param reason why it was given up
 */
public record DeadLetter(String deliveryId, String targetId, String tenant, String event,
    String anomalyId, String body, int attempts, Instant firstAttemptAt, Instant failedAt,
    int lastStatus, String reason) {

  /**
   * Checks the record.
   *
   * @throws NullPointerException if {@code deliveryId}, {@code targetId}, {@code tenant} or
   *     {@code body} is null
   */
  public DeadLetter {
    Objects.requireNonNull(deliveryId, "deliveryId");
    Objects.requireNonNull(targetId, "targetId");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(body, "body");
  }

  /**
   * Returns the dead letter of an outbox entry.
   *
   * @param e the entry as it last was
   * @param failedAt when it was given up
   * @param reason why
   * @return the dead letter
   */
  public static DeadLetter of(OutboxEntry e, Instant failedAt, String reason) {
    return new DeadLetter(e.deliveryId(), e.targetId(), e.tenant(), e.event(), e.anomalyId(),
        e.body(), e.attempts(), e.createdAt(), failedAt, e.lastStatus(), reason);
  }
}
