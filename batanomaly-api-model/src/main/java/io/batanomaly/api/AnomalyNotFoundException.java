package io.batanomaly.api;

/**
 * No anomaly with the given id exists in the given tenant: HTTP 404. Another tenant's anomaly is
 * reported exactly like a missing one.
 */
public final class AnomalyNotFoundException extends TriageException {
  private static final long serialVersionUID = 1L;

  private final String id;

  /**
   * Creates an exception.
   *
   * @param id the id that was asked for
   */
  public AnomalyNotFoundException(String id) {
    super("No anomaly found with id '" + id + "'");
    this.id = id;
  }

  /**
   * Returns the id that was asked for.
   *
   * @return the id
   */
  public String id() {
    return id;
  }

  @Override
  public int httpStatus() {
    return 404;
  }
}
