/**
 * Notifications that leave the process: signed webhooks ({@link
 * io.batanomaly.notify.WebhookNotifier}) and Web Push ({@link
 * io.batanomaly.notify.WebPushNotifier}), both {@link io.batanomaly.AnomalyListener}s, with the
 * JDK only.
 *
 * <p>Both send each notification under one delivery id, retry transient failures with
 * exponential backoff and jitter (honouring {@code Retry-After}), give up after a number of
 * attempts or an age ({@link io.batanomaly.notify.RetryPolicy}) into a bounded dead-letter list
 * the host can read and replay, and take all their timing from an injected clock and
 * {@link io.batanomaly.notify.DeliveryScheduler}. Their settings are
 * {@link io.batanomaly.notify.NotifySettings}.
 */
package io.batanomaly.notify;
