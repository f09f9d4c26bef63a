package io.batanomaly.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** The codec a host with Jackson writes, as the {@link JsonCodec} javadoc shows it. */
final class JacksonCodec implements JsonCodec {
  private final ObjectMapper mapper = new ObjectMapper();

  @Override
  public byte[] write(Object value) {
    try {
      return mapper.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
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
