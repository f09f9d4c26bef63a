package io.batanomaly.notify;

import java.time.Instant;
import java.util.List;

/**
 * Where one notifier keeps its deliveries: those pending (waiting for an attempt or a retry) and
 * the dead letters (given up, kept for the host to read and replay). A delivery is recorded with
 * {@link #add} before its first attempt and stays until the target acknowledges it
 * ({@link #remove}) or it is given up ({@link #deadLetter}). Each pending delivery is keyed by
 * its delivery id and target id.
 *
 * <p>The default, {@link #inMemory(int)}, is lost when the process ends. A {@link #durable()}
 * outbox (a database) keeps pending deliveries and dead letters across a restart: a notifier
 * built on it attempts again, under the same delivery id, every delivery still pending when it
 * starts, so a receiver that was down while the host restarted gets each notification once it is
 * back (and deduplicates on {@code webhook-id} the one whose acknowledgement was lost in the
 * crash). Processes sharing one durable outbox each take up, when they start, every delivery
 * pending in it, so a delivery another process is still retrying may be sent by both, under its
 * one delivery id.
 *
 * <p>Implementations must be thread-safe. A method that fails throws an unchecked exception;
 * the notifier logs and counts it and goes on delivering from memory, so a database that is down
 * costs durability, not notifications.
 */
public interface Outbox {

  /**
   * Tells whether pending deliveries and dead letters survive the process. A notifier closed
   * with a durable outbox leaves its pending deliveries in it for the next start; with one that
   * is not, it moves them to the dead-letter list.
   *
   * @return {@code true} if kept across a restart
   */
  boolean durable();

  /**
   * Records a new pending delivery, before its first attempt.
   *
   * @param entry the delivery
   */
  void add(OutboxEntry entry);

  /**
   * Records a failed attempt of a pending delivery: its attempts, next attempt time and last
   * answer.
   *
   * @param entry the delivery as it now is
   */
  void update(OutboxEntry entry);

  /**
   * Removes a pending delivery the target acknowledged, or whose target is gone.
   *
   * @param deliveryId its delivery id
   * @param targetId its target id
   */
  void remove(String deliveryId, String targetId);

  /**
   * Moves a delivery (pending or never added) to the dead letters. When the dead letters are at
   * their cap, the oldest is dropped.
   *
   * @param entry the delivery as it last was
   * @param failedAt when it was given up
   * @param reason why
   * @return how many older dead letters were dropped to make room (0 or more)
   */
  int deadLetter(OutboxEntry entry, Instant failedAt, String reason);

  /**
   * Returns every pending delivery, to resume them when the notifier starts.
   *
   * @return the pending deliveries, oldest first
   */
  List<OutboxEntry> pending();

  /**
   * Returns the dead letters.
   *
   * @return the dead letters, oldest first
   */
  List<DeadLetter> deadLetters();

  /**
   * Takes dead letters out, to send them again.
   *
   * @param deliveryId the delivery id to take, or {@code null} for all
   * @return the dead letters taken, oldest first
   */
  List<DeadLetter> takeDeadLetters(String deliveryId);

  /**
   * Returns an outbox kept in memory: lost when the process ends.
   *
   * @param deadLetterCap dead letters kept at most; beyond it the oldest are dropped
   * @return a new, empty outbox
   * @throws IllegalArgumentException if {@code deadLetterCap} is less than 1
   */
  static Outbox inMemory(int deadLetterCap) {
    return new InMemoryOutbox(deadLetterCap);
  }
}
