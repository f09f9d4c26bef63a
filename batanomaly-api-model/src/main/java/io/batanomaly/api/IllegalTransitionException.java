package io.batanomaly.api;

/**
 * A status change the transition table does not allow from the anomaly's current status: HTTP
 * 409. The message names both statuses.
 */
public final class IllegalTransitionException extends TriageException {
  private static final long serialVersionUID = 1L;

  private final AnomalyStatus current;
  private final AnomalyStatus requested;

  /**
   * Creates an exception.
   *
   * @param id the anomaly id
   * @param current the anomaly's status when the change was asked for
   * @param requested the status asked for
   */
  public IllegalTransitionException(String id, AnomalyStatus current, AnomalyStatus requested) {
    super(
        "Anomaly '" + id + "' cannot move from " + current + " to " + requested
            + AnomalyTransitions.hint(current, requested));
    this.current = current;
    this.requested = requested;
  }

  /**
   * Creates an exception for a change the table allows but the anomaly's situation does not.
   *
   * @param id the anomaly id
   * @param current the anomaly's status
   * @param requested the status asked for
   * @param reason why the change is refused
   */
  public IllegalTransitionException(
      String id, AnomalyStatus current, AnomalyStatus requested, String reason) {
    super("Anomaly '" + id + "' cannot move from " + current + " to " + requested + ": " + reason);
    this.current = current;
    this.requested = requested;
  }

  /**
   * Returns the anomaly's status when the change was asked for.
   *
   * @return the current status
   */
  public AnomalyStatus current() {
    return current;
  }

  /**
   * Returns the status asked for.
   *
   * @return the requested status
   */
  public AnomalyStatus requested() {
    return requested;
  }

  @Override
  public int httpStatus() {
    return 409;
  }
}
