/**
 * The BRUTE_FORCE detector: at least {@code ANOMALY_BRUTE_FORCE_THRESHOLD} 401 responses for
 * one identifier of a tenant, across all of the tenant's services, within
 * {@code ANOMALY_BRUTE_FORCE_WINDOW}.
 */
package io.batanomaly.detectors.bruteforce;
