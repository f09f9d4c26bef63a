package io.batanomaly;

import java.time.Instant;
import java.util.Map;

/**
 * A snapshot of the engine's health, for a host to export to its metrics system. Taking one
 * reads counters and never blocks ingest. Counters count since the engine was built.
 *
 * @param at when the snapshot was taken, by the engine clock
 * @param eventsAccepted events accepted
 * @param eventsRejected events rejected, by reason (late events under {@link RejectReason#LATE})
 * @param batches batches ingested
 * @param tenantsTracked tenants tracked now
 * @param servicesTracked services tracked now, over all tenants
 * @param scopesEvicted idle tenants and services evicted to make room
 * @param anomaliesOpened anomalies opened
 * @param findingsDeduplicated findings that updated an active anomaly instead of opening one
 * @param findingsSuppressed findings held back by a cooldown or a dismissal
 * @param anomaliesActive anomalies OPEN or VERIFYING now
 * @param verificationsPending verification jobs running now
 * @param verificationsFailed verification jobs that failed, timed out or could not run
 * @param listenerQueueDepth notifications waiting for listeners
 * @param notificationsDropped notifications dropped because the queue was full
 * @param listenerFailures listener calls that threw
 * @param detectorErrors exceptions thrown by detectors and caught by the engine
 * @param idempotencyKeys Idempotency-Keys held now, or -1 when the store cannot tell cheaply (a
 *     database)
 * @param idempotencyKeysDropped unexpired Idempotency-Keys dropped because the store was full
 * @param detectors each detector's own counters (keys tracked, evicted, late events, …), by
 *     detector name
 * @param storeAvailable whether the anomaly store took the last write (or probe); {@code false}
 *     from a failed write until the buffered findings are stored
 * @param findingsBuffered findings waiting in memory for the store to answer again
 * @param findingsOverflowed findings dropped because that buffer was full
 */
public record EngineHealth(
    Instant at,
    long eventsAccepted,
    Map<RejectReason, Long> eventsRejected,
    long batches,
    int tenantsTracked,
    long servicesTracked,
    long scopesEvicted,
    long anomaliesOpened,
    long findingsDeduplicated,
    long findingsSuppressed,
    int anomaliesActive,
    int verificationsPending,
    long verificationsFailed,
    int listenerQueueDepth,
    long notificationsDropped,
    long listenerFailures,
    long detectorErrors,
    int idempotencyKeys,
    long idempotencyKeysDropped,
    Map<String, Map<String, Long>> detectors,
    boolean storeAvailable,
    int findingsBuffered,
    long findingsOverflowed) {

  /** Creates a snapshot, copying the maps. */
  public EngineHealth {
    eventsRejected = Map.copyOf(eventsRejected);
    detectors = Map.copyOf(detectors);
  }

  /** @return events rejected, all reasons together */
  public long eventsRejectedTotal() {
    return eventsRejected.values().stream().mapToLong(Long::longValue).sum();
  }
}
