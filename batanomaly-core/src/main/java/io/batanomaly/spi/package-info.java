/**
 * The detector SPI and the repository SPI.
 *
 * <p>A {@link io.batanomaly.spi.DetectorProvider}, found with {@link java.util.ServiceLoader} or
 * registered on {@link io.batanomaly.AnomalyEngine.Builder#detector}, creates a
 * {@link io.batanomaly.spi.Detector}. The engine hands the detector every accepted event together
 * with the {@link io.batanomaly.spi.ServiceScope} of its tenant and service, and calls it on every
 * clock tick; the detector reports {@link io.batanomaly.spi.Finding}s to a
 * {@link io.batanomaly.spi.FindingSink}, and the engine turns them into anomalies (dedup,
 * cooldown, listeners). For verification the engine asks the detector to
 * {@link io.batanomaly.spi.Detector#reevaluate re-evaluate} an anomaly against its live state.
 *
 * <p>{@link io.batanomaly.spi.AnomalyStore} bundles what the engine keeps about triage:
 * {@link io.batanomaly.spi.AnomalyRepository} (anomalies),
 * {@link io.batanomaly.spi.IdempotencyStore} (Idempotency-Key claims and outcomes) and
 * {@link io.batanomaly.spi.SuppressionStore} (cooldowns and dismissals). The default keeps them
 * in memory; an {@link io.batanomaly.spi.AnomalyStoreProvider} found with
 * {@link java.util.ServiceLoader} supplies a persistent one when its settings are given.
 *
 * <p>A {@link io.batanomaly.spi.NotifierProvider}, found with {@link java.util.ServiceLoader} or
 * registered on {@link io.batanomaly.AnomalyEngine.Builder#notifier}, creates the notifiers the
 * configuration asks for (the {@code batanomaly-notify} module's webhooks and Web Push).
 */
package io.batanomaly.spi;
