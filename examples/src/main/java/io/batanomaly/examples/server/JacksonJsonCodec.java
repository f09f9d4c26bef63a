package io.batanomaly.examples.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.batanomaly.api.http.JsonCodec;
import java.io.IOException;

/** The {@link JsonCodec} of the example server: a plain Jackson {@code ObjectMapper}. */
public final class JacksonJsonCodec implements JsonCodec {
  private final ObjectMapper mapper;

  /** Creates a codec over a new {@code ObjectMapper}. */
  public JacksonJsonCodec() {
    this(new ObjectMapper());
  }

  /**
   * Creates a codec over the host's mapper.
   *
   * @param mapper the mapper
   */
  public JacksonJsonCodec(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  @Override
  public byte[] write(Object value) {
    try {
      return mapper.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + value.getClass().getName(), e);
    }
  }

  @Override
  public Object read(byte[] json) {
    try {
      return mapper.readValue(json, Object.class);
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }
}
