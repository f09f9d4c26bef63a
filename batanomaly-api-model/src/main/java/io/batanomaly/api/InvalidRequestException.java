package io.batanomaly.api;

/** A request with a missing or malformed parameter, header or body: HTTP 400. */
public final class InvalidRequestException extends TriageException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception.
   *
   * @param message what was wrong, naming the parameter and the value given
   */
  public InvalidRequestException(String message) {
    super(message);
  }

  @Override
  public int httpStatus() {
    return 400;
  }
}
