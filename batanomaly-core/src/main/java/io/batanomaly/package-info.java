/**
 * batanomaly: anomaly detection over a host service's stream of audit events.
 *
 * <p>Build an {@link io.batanomaly.AnomalyEngine}, hand it batches of
 * {@link io.batanomaly.AuditEvent}s, and triage what it finds through
 * {@link io.batanomaly.AnomalyEngine#anomalies()}. Settings are
 * {@link io.batanomaly.AnomalyConfig} values keyed by {@link io.batanomaly.Setting}s.
 */
package io.batanomaly;
