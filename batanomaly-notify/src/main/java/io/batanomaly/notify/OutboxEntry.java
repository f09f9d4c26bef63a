package io.batanomaly.notify;

import java.time.Instant;
import java.util.Objects;

/**
 * One delivery as an {@link Outbox} keeps it: a notification on its way to one target, from
 * before its first attempt until the target acknowledges it, refuses it or it is given up.
 *
 * @param deliveryId the delivery id the target sees ({@code webhook-id}); one notification has
 *     one id for all its targets
 * @param targetId the target: a {@link WebhookTarget#id()}, or a push subscription's endpoint
 * @param tenant the tenant of the notification
 * @param event what the notification was, such as {@code anomaly.opened}
 * @param anomalyId the anomaly it is about
 * @param body the JSON body (for Web Push, the plaintext before encryption)
 * @param createdAt when it was recorded; retries stop {@code ANOMALY_WEBHOOK_MAX_AGE} after it
 * @param attempts attempts made so far
 * @param nextAttemptAt when the next attempt is due
 * @param lastStatus the HTTP status of the last answer, or {@code 0}
 * @param lastReason what the last attempt came to, or empty
 */
public record OutboxEntry(String deliveryId, String targetId, String tenant, String event,
    String anomalyId, String body, Instant createdAt, int attempts, Instant nextAttemptAt,
    int lastStatus, String lastReason) {

  /**
   * Checks the entry.
   *
   * @throws NullPointerException if a field other than {@code anomalyId} is null
   */
  public OutboxEntry {
    Objects.requireNonNull(deliveryId, "deliveryId");
    Objects.requireNonNull(targetId, "targetId");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
    Objects.requireNonNull(lastReason, "lastReason");
  }
}
