package io.batanomaly;

/**
 * One event {@link AnomalyEngine#ingest} rejected.
 *
 * @param index the event's position in the batch, from 0
 * @param reason the kind of problem
 * @param message what was wrong, with the value given
 */
public record RejectedEvent(int index, RejectReason reason, String message) {}
