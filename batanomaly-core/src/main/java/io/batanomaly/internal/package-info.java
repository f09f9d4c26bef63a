/**
 * Engine internals: scopes, validation, the finding-to-anomaly gate, triage, idempotency and
 * notification dispatch. Not part of the public API; may change in any release.
 */
package io.batanomaly.internal;
