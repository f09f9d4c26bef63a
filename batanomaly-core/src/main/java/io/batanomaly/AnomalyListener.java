package io.batanomaly;

/**
 * Receives anomaly notifications. Listeners run on the engine's notification thread, off the
 * ingest path, fed by a bounded queue: a listener that is slow, blocks or throws never blocks or
 * fails ingest. An exception a listener throws is logged and counted; when the queue is full,
 * new notifications are dropped and counted.
 */
@FunctionalInterface
public interface AnomalyListener {

  /**
   * Handles one notification.
   *
   * @param notification what happened
   */
  void onNotification(AnomalyNotification notification);
}
