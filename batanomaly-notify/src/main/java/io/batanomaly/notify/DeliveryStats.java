package io.batanomaly.notify;

/**
 * A notifier's counters since it was created.
 *
 * @param submitted deliveries submitted (one per notification and target), replays included
 * @param delivered deliveries the receiver accepted
 * @param attempts attempts made, retries included
 * @param retries retries scheduled
 * @param deadLettered deliveries given up and put in the dead-letter list
 * @param deadLettersDropped dead letters dropped because the list was full
 * @param gone deliveries dropped because their target is gone: a push service answered 404 or
 *     410, or the target was removed from the registry while the delivery waited
 * @param resumed deliveries taken up from the outbox when the notifier started (a previous
 *     process left them pending)
 * @param outboxFailures operations of the outbox or the target store that failed (the
 *     notifier went on from memory)
 * @param pending deliveries waiting for an attempt or a retry now
 * @param deadLetters dead letters held now, or -1 if the outbox could not be read
 */
public record DeliveryStats(long submitted, long delivered, long attempts, long retries,
    long deadLettered, long deadLettersDropped, long gone, long resumed, long outboxFailures,
    int pending, int deadLetters) {}
