/**
 * Notifications that leave the process: webhooks signed as Standard Webhooks ({@link
 * io.batanomaly.notify.WebhookNotifier}) and Web Push ({@link
 * io.batanomaly.notify.WebPushNotifier}), both {@link io.batanomaly.AnomalyListener}s, with the
 * JDK only. With this module on the class path, {@link io.batanomaly.notify.NotifyProvider}
 * lets the engine create them from the {@link io.batanomaly.notify.NotifySettings}.
 *
 * <p>A notification goes only to the targets of its tenant and to the all-tenant ones
 * ({@link io.batanomaly.notify.Audience}), registered in {@link
 * io.batanomaly.notify.NotificationTargets} and kept in a {@link
 * io.batanomaly.notify.TargetStore}. Both notifiers send each notification under one delivery
 * id, record it in an {@link io.batanomaly.notify.Outbox} before the first attempt, retry
 * transient failures with exponential backoff and jitter (honouring {@code Retry-After}), and
 * give up after a number of attempts or an age ({@link io.batanomaly.notify.RetryPolicy}) into
 * dead letters the host can read and replay; a durable outbox keeps pending deliveries and dead
 * letters across a restart. All their timing comes from an injected clock and
 * {@link io.batanomaly.notify.DeliveryScheduler}.
 */
package io.batanomaly.notify;
