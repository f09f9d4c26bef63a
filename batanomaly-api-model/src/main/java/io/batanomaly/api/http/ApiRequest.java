package io.batanomaly.api.http;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One HTTP request, as the host received it.
 *
 * @param method the HTTP method, such as {@code GET}; compared ignoring case
 * @param path the raw (still percent-encoded) request path, such as
 *     {@code /api/v1/audit/anomalies/anom-xyz789}, without the query string
 * @param query the raw (still percent-encoded) query string without the leading {@code ?}, or
 *     {@code null} for none
 * @param headers the request headers; names are looked up ignoring case
 * @param body the request body, empty for none
 * @param principal who sent the request, as the host authenticated it, or {@code null} if the
 *     request carried no valid credentials
 */
public record ApiRequest(
    String method,
    String path,
    String query,
    Map<String, List<String>> headers,
    byte[] body,
    ApiPrincipal principal) {

  /**
   * Creates a request, copying the headers into a map that ignores the case of names.
   *
   * @throws NullPointerException if {@code method}, {@code path} or {@code headers} is null
   */
  public ApiRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(headers, "headers");
    TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((name, values) -> {
      if (name != null && values != null) {
        copy.computeIfAbsent(name, n -> new java.util.ArrayList<>()).addAll(values);
      }
    });
    copy.replaceAll((name, values) -> List.copyOf(values));
    headers = Collections.unmodifiableMap(copy);
    body = body == null ? new byte[0] : body;
  }

  /**
   * Returns every value of a header.
   *
   * @param name the header name, in any case
   * @return the values, possibly empty
   */
  public List<String> headerValues(String name) {
    List<String> values = headers.get(name);
    return values == null ? List.of() : values;
  }
}
