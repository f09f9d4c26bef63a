package io.batanomaly.api.http;

/**
 * Turns values into JSON and back for {@link AnomalyHttpHandler}, with the host's own JSON
 * library, so the library itself carries no JSON runtime. With Jackson:
 *
 * <pre>{@code
 * ObjectMapper mapper = new ObjectMapper();
 * JsonCodec codec = new JsonCodec() {
 *   public byte[] write(Object value) {
 *     try {
 *       return mapper.writeValueAsBytes(value);
 *     } catch (JsonProcessingException e) {
 *       throw new IllegalStateException(e);
 *     }
 *   }
 *
 *   public Object read(byte[] json) {
 *     try {
 *       return mapper.readValue(json, Object.class);
 *     } catch (IOException e) {
 *       throw new IllegalArgumentException(e.getMessage(), e);
 *     }
 *   }
 * };
 * }</pre>
 *
 * <p>The records of {@code io.batanomaly.api} carry Jackson annotations that fix their field
 * names, order and timestamp form, so any {@code ObjectMapper} writes exactly the documented
 * JSON. A codec for another library must honour the same names.
 *
 * <p>Implementations must be thread-safe.
 */
public interface JsonCodec {

  /**
   * Encodes a response body: an {@link io.batanomaly.api.Anomaly}, an
   * {@link io.batanomaly.api.AnomalyPage} of {@link io.batanomaly.api.AnomalySummary} or an
   * {@link io.batanomaly.api.ErrorBody}.
   *
   * @param value the value
   * @return its UTF-8 JSON encoding
   * @throws RuntimeException if the value cannot be encoded; the handler answers 500
   */
  byte[] write(Object value);

  /**
   * Decodes a request body into plain Java values: a JSON object becomes a
   * {@code Map<String, Object>}, an array a {@code List<Object>}, and strings, numbers, booleans
   * and {@code null} their Java counterparts.
   *
   * @param json the UTF-8 JSON text
   * @return the decoded value
   * @throws RuntimeException if the text is not valid JSON; its message says where, and the
   *     handler answers 400 with it
   */
  Object read(byte[] json);
}
