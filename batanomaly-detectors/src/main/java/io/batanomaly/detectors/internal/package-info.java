/**
 * Code the built-in detectors share: per-version state under a budget
 * ({@link io.batanomaly.detectors.internal.VersionTable}, one per tenant with shared counters in
 * {@link io.batanomaly.detectors.internal.VersionTables}), severity steps, the exact threshold
 * tracker of the count rules, the claim on the newest judged bucket of the window rules
 * ({@link io.batanomaly.detectors.internal.JudgedBucket}), scope look-ups for verification,
 * subjects and durations for summaries. Not part of the public API: it may change in any release.
 */
package io.batanomaly.detectors.internal;
