/**
 * The SILENT_SERVICE detector: a service that was regularly active sends nothing for
 * {@code ANOMALY_SILENT_SERVICE_MINUTES}, judged by the engine clock on ticks.
 */
package io.batanomaly.detectors.silentservice;
