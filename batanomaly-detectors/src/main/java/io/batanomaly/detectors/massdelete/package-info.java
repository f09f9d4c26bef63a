/**
 * The MASS_DELETE detector: at least {@code ANOMALY_MASS_DELETE_THRESHOLD} DELETE requests to
 * one service of a tenant within {@code ANOMALY_MASS_DELETE_WINDOW}.
 */
package io.batanomaly.detectors.massdelete;
