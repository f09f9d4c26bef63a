package io.batanomaly.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The body of {@code PATCH /api/v1/audit/anomalies/{id}/status}.
 *
 * @param status the target status: OPEN, RESOLVED or DISMISSED
 * @param note an optional note recorded with the change, at most {@value #MAX_NOTE_LENGTH}
 *     characters
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"status", "note"})
public record StatusUpdateRequest(
    @JsonProperty("status") AnomalyStatus status, @JsonProperty("note") String note) {

  /** Longest note accepted, in characters. */
  public static final int MAX_NOTE_LENGTH = 4096;

  /**
   * Creates a request.
   *
   * @throws InvalidRequestException if {@code status} is null or VERIFYING (which only the verify
   *     action may set), or the note is too long
   */
  public StatusUpdateRequest {
    if (status == null) {
      throw new InvalidRequestException("status is required: one of OPEN, RESOLVED, DISMISSED");
    }
    if (status == AnomalyStatus.VERIFYING) {
      throw new InvalidRequestException(
          "status must be one of OPEN, RESOLVED, DISMISSED, but was 'VERIFYING'"
              + " (use POST …/actions/verify to verify an anomaly)");
    }
    if (note != null && note.length() > MAX_NOTE_LENGTH) {
      throw new InvalidRequestException(
          "note must be at most " + MAX_NOTE_LENGTH + " characters, but was " + note.length());
    }
  }
}
