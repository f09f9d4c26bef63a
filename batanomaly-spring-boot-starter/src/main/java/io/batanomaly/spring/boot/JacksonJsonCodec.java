package io.batanomaly.spring.boot;

import io.batanomaly.api.http.JsonCodec;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * The {@link JsonCodec} over the application's Jackson 3 {@code ObjectMapper} (Spring Boot's
 * {@code JsonMapper} bean). The records of the API model carry the Jackson annotations, which
 * Jackson 3 reads as Jackson 2 does, so the JSON is the documented one whatever the mapper's
 * settings for dates or property order. Thread-safe.
 */
public final class JacksonJsonCodec implements JsonCodec {
  private final ObjectMapper mapper;

  /**
   * Creates a codec.
   *
   * @param mapper the mapper
   * @throws NullPointerException if {@code mapper} is null
   */
  public JacksonJsonCodec(ObjectMapper mapper) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
  }

  @Override
  public byte[] write(Object value) {
    return mapper.writeValueAsBytes(value);
  }

  @Override
  public Object read(byte[] json) {
    try {
      return mapper.readValue(json, Object.class);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }
}
