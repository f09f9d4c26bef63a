/**
 * Lock-free event-time window primitives the detectors are built from.
 *
 * <ul>
 *   <li>{@link io.batanomaly.window.BucketRing}: a fixed ring of time buckets whose counters
 *       reset by CAS when time rolls over; sums over any span the ring still holds.
 *   <li>{@link io.batanomaly.window.ThresholdRing}: the exact "k events within W" test for
 *       threshold rules, keeping the k latest timestamps.
 *   <li>{@link io.batanomaly.window.KeyedState}: per-key state under a memory budget, whose
 *       evictions are counted and never take a protected key.
 * </ul>
 *
 * <p>All three allocate nothing when recording into an existing key and take no lock on the
 * recording path.
 */
package io.batanomaly.window;
