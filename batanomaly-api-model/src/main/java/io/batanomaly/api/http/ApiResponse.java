package io.batanomaly.api.http;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The answer to an {@link ApiRequest}: what the host writes back to the client.
 *
 * @param status the HTTP status code
 * @param headers the response headers to set, such as {@code Content-Type}
 * @param body the response body, empty for none (202 and a few errors)
 * @param failure for a 500 answer, the exception behind it, for the host to log; it never
 *     appears in the body. {@code null} for every other answer
 */
public record ApiResponse(int status, Map<String, String> headers, byte[] body, Throwable failure) {

  /**
   * Creates a response, copying the headers.
   *
   * @throws NullPointerException if {@code headers} is null
   */
  public ApiResponse {
    Objects.requireNonNull(headers, "headers");
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    body = body == null ? new byte[0] : body;
  }

  /**
   * Returns the body as UTF-8 text, for logs and tests.
   *
   * @return the body text, empty for none
   */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
