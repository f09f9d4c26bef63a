package io.batanomaly.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The JSON body of every error response.
 *
 * @param status the HTTP status code, such as 409
 * @param error the reason phrase of that code, such as {@code "Conflict"}
 * @param message what was wrong, in a sentence a person can act on
 */
@JsonPropertyOrder({"status", "error", "message"})
public record ErrorBody(
    @JsonProperty("status") int status,
    @JsonProperty("error") String error,
    @JsonProperty("message") String message) {}
