/**
 * The ERROR_RATE detector: the share of 4xx and 5xx responses among a service's events within
 * {@code ANOMALY_ERROR_RATE_WINDOW} exceeds {@code ANOMALY_ERROR_RATE_THRESHOLD} percent, once
 * the window holds at least {@code ANOMALY_ERROR_RATE_MIN_EVENTS} events.
 */
package io.batanomaly.detectors.errorrate;
