package io.batanomaly.spi;

/**
 * Thrown by {@link AnomalyRepository#insert} or {@link AnomalyRepository#replace} when the change
 * would make a second active (OPEN or VERIFYING) anomaly for one tenant, type and subject, which
 * a shared store forbids with a unique constraint. The engine folds its finding into the active
 * anomaly (the winner of the race) or answers the status change with a conflict.
 */
public final class ActiveAnomalyExistsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception.
   *
   * @param tenant the tenant
   * @param type the anomaly type
   * @param subject the subject
   * @param cause the store's own error, or {@code null}
   */
  public ActiveAnomalyExistsException(String tenant, String type, String subject,
      Throwable cause) {
    super("an active anomaly already exists for tenant '" + tenant + "', type " + type
        + " and subject '" + subject + "'", cause);
  }
}
