package io.batanomaly.api;

/**
 * The filters and paging of {@code GET /api/v1/audit/anomalies}.
 *
 * @param type only anomalies of this type, or {@code null} for every type
 * @param days only anomalies detected within the last {@code days} days (default 7, 1 to
 *     {@value #MAX_DAYS})
 * @param page zero-based page index (default 0)
 * @param size items per page (default 20, 1 to {@value #MAX_SIZE})
 */
public record AnomalyQuery(String type, int days, int page, int size) {

  /** Default {@code days}. */
  public static final int DEFAULT_DAYS = 7;
  /** Default {@code page}. */
  public static final int DEFAULT_PAGE = 0;
  /** Default {@code size}. */
  public static final int DEFAULT_SIZE = 20;
  /** Largest {@code size} accepted. */
  public static final int MAX_SIZE = 200;
  /** Largest {@code days} accepted: ten years. */
  public static final int MAX_DAYS = 3660;

  /**
   * Creates a query.
   *
   * @throws InvalidRequestException if a value is out of range; the message names the parameter
   *     and the value given
   */
  public AnomalyQuery {
    if (type != null && type.isBlank()) {
      type = null;
    }
    if (days < 1 || days > MAX_DAYS) {
      throw new InvalidRequestException(
          "days must be between 1 and " + MAX_DAYS + ", but was " + days);
    }
    if (page < 0) {
      throw new InvalidRequestException("page must be 0 or more, but was " + page);
    }
    if (size < 1 || size > MAX_SIZE) {
      throw new InvalidRequestException(
          "size must be between 1 and " + MAX_SIZE + ", but was " + size);
    }
  }

  /**
   * Returns the query with every default: all types, last 7 days, page 0, size 20.
   *
   * @return the default query
   */
  public static AnomalyQuery defaults() {
    return new AnomalyQuery(null, DEFAULT_DAYS, DEFAULT_PAGE, DEFAULT_SIZE);
  }

  /**
   * Returns a copy restricted to one type.
   *
   * @param type the type, or {@code null} for every type
   * @return the new query
   */
  public AnomalyQuery withType(String type) {
    return new AnomalyQuery(type, days, page, size);
  }

  /**
   * Returns a copy with another day range.
   *
   * @param days the number of days
   * @return the new query
   * @throws InvalidRequestException if {@code days} is out of range
   */
  public AnomalyQuery withDays(int days) {
    return new AnomalyQuery(type, days, page, size);
  }

  /**
   * Returns a copy asking for another page.
   *
   * @param page the zero-based page index
   * @param size the page size
   * @return the new query
   * @throws InvalidRequestException if either is out of range
   */
  public AnomalyQuery withPage(int page, int size) {
    return new AnomalyQuery(type, days, page, size);
  }
}
