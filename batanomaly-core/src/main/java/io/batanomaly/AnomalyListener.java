package io.batanomaly;

/**
 * Receives anomaly notifications. Each listener runs on its own daemon thread, off the ingest
 * path, fed by its own bounded queue ({@code ANOMALY_LISTENER_QUEUE_CAPACITY}): a listener that
 * is slow, blocks or throws never blocks or fails ingest, nor delays the other listeners. An
 * exception a listener throws is logged and counted; when a listener's queue is full, new
 * notifications for it are dropped, counted, and reported in the log at most once a minute.
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
