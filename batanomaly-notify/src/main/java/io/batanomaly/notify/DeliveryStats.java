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
 * @param gone deliveries whose target said it is gone for good (404 or 410 from a push service)
 * @param pending deliveries waiting for an attempt or a retry now
 * @param deadLetters dead letters held now
 */
public record DeliveryStats(long submitted, long delivered, long attempts, long retries,
    long deadLettered, long deadLettersDropped, long gone, int pending, int deadLetters) {}
