/**
 * The VOLUME_SPIKE detector: a service's event count over a short current window against a
 * baseline of the rest of {@code ANOMALY_VOLUME_WINDOW}, as a z-score above
 * {@code ANOMALY_VOLUME_THRESHOLD}, guarded so that stationary traffic stays quiet.
 */
package io.batanomaly.detectors.volumespike;
