/**
 * The triage contract of batanomaly: the anomaly records exactly as the HTTP API documents
 * them, the triage statuses and their transition table, the {@link io.batanomaly.api.TriageService}
 * interface every host and the HTTP layer talk to, and the errors it reports.
 *
 * <p>This module depends on {@code jackson-annotations} only, so any Jackson {@code ObjectMapper}
 * renders the records with the documented field names. Nothing here needs the engine.
 */
package io.batanomaly.api;
