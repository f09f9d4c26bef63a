package io.batanomaly.kafka;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.batanomaly.AuditEvent;
import io.batanomaly.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The JSON form of an {@link AuditEvent} on a topic: one UTF-8 JSON object per record.
 *
 * <pre>{@code
 * {"tenant":"acme-corp","service":"checkout","timestamp":"2026-03-02T08:00:01.250Z",
 *  "method":"POST","status":401,"identifier":"203.0.113.77","eventType":"http.request",
 *  "policyModule":"pricing","policyFunction":"discount","versionId":"v4",
 *  "outcome":"SUCCESS","executionTimeNanos":4200000,"attributes":{"region":"eu"}}
 * }</pre>
 *
 * <p>Every field but {@code tenant}, {@code service} and {@code timestamp} is optional; an
 * absent field is written out, not as {@code null}. {@code timestamp} is written as an ISO-8601
 * UTC instant to the millisecond and read as one, or as a number of epoch milliseconds.
 * {@code executionTimeMillis} (a fractional number) is accepted on input instead of
 * {@code executionTimeNanos}. {@code outcome} is {@code SUCCESS} or {@code FAILURE}, in any case.
 * Unknown fields are ignored, so producers can add their own.
 *
 * <p>The serializer never fails for content: an event with a blank tenant is written as it is and
 * rejected with a reason by the engine, like one handed to {@code ingest}. The deserializer
 * throws {@link SerializationException} for bytes that are not such an object (not JSON, a wrong
 * type for a field, an unparseable timestamp); {@link AnomalyTopology} reads its source topic
 * with {@link #lenient()}, which counts and skips those records instead of failing the stream
 * thread.
 *
 * <p>A host with its own event format passes its own {@code Serde<AuditEvent>} to
 * {@link AnomalyTopology.Builder#eventSerde}; this one is then used only for the internal
 * repartition topics and the state stores. Thread-safe; needs {@code jackson-core} on the class
 * path.
 */
public final class AuditEventSerde implements Serde<AuditEvent> {

  private static final JsonFactory JSON = new JsonFactory();

  private final Serializer<AuditEvent> serializer = (topic, event) -> event == null ? null
      : write(event);
  private final Deserializer<AuditEvent> deserializer;

  private AuditEventSerde(boolean lenient) {
    this.deserializer = (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      if (!lenient) {
        return read(bytes);
      }
      try {
        return read(bytes);
      } catch (SerializationException malformed) {
        return null;
      }
    };
  }

  /** Creates the strict serde: malformed records make the deserializer throw. */
  public AuditEventSerde() {
    this(false);
  }

  /**
   * Returns a serde whose deserializer returns {@code null} for a malformed record instead of
   * throwing, so the topology can count and skip it.
   *
   * @return the lenient serde
   */
  public static AuditEventSerde lenient() {
    return new AuditEventSerde(true);
  }

  @Override
  public Serializer<AuditEvent> serializer() {
    return serializer;
  }

  @Override
  public Deserializer<AuditEvent> deserializer() {
    return deserializer;
  }

  /**
   * Writes an event as JSON.
   *
   * @param event the event
   * @return UTF-8 JSON
   * @throws NullPointerException if {@code event} is null
   */
  public static byte[] write(AuditEvent event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      field(g, "tenant", event.tenant());
      field(g, "service", event.service());
      if (event.epochMillis() != AuditEvent.NO_TIMESTAMP) {
        g.writeStringField("timestamp", Instant.ofEpochMilli(event.epochMillis()).toString());
      }
      field(g, "method", event.method());
      if (event.status() != 0) {
        g.writeNumberField("status", event.status());
      }
      field(g, "identifier", event.identifier());
      field(g, "eventType", event.eventType());
      field(g, "policyModule", event.policyModule());
      field(g, "policyFunction", event.policyFunction());
      field(g, "versionId", event.versionId());
      if (event.outcome() != null) {
        g.writeStringField("outcome", event.outcome().name());
      }
      if (event.executionTimeNanos() != AuditEvent.NO_EXECUTION_TIME) {
        g.writeNumberField("executionTimeNanos", event.executionTimeNanos());
      }
      if (!event.attributes().isEmpty()) {
        g.writeObjectFieldStart("attributes");
        for (Map.Entry<String, String> a : event.attributes().entrySet()) {
          g.writeStringField(a.getKey(), a.getValue());
        }
        g.writeEndObject();
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write an audit event as JSON", e);
    }
    return out.toByteArray();
  }

  private static void field(JsonGenerator g, String name, String value) throws IOException {
    if (value != null) {
      g.writeStringField(name, value);
    }
  }

  /**
   * Reads an event from JSON.
   *
   * @param bytes UTF-8 JSON
   * @return the event
   * @throws SerializationException if the bytes are not a JSON object of the documented form;
   *     the message says which field was wrong and what it held
   */
  public static AuditEvent read(byte[] bytes) {
    AuditEvent.Builder b = AuditEvent.builder();
    try (JsonParser p = JSON.createParser(bytes)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new SerializationException("an audit event must be a JSON object, but the record"
            + " starts with " + p.currentToken());
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if (t == JsonToken.VALUE_NULL) {
          continue;
        }
        switch (name) {
          case "tenant" -> b.tenant(text(p, name));
          case "service" -> b.service(text(p, name));
          case "timestamp" -> b.epochMillis(timestamp(p));
          case "method" -> b.method(text(p, name));
          case "status" -> b.status(integer(p, name));
          case "identifier" -> b.identifier(text(p, name));
          case "eventType" -> b.eventType(text(p, name));
          case "policyModule" -> b.policyModule(text(p, name));
          case "policyFunction" -> b.policyFunction(text(p, name));
          case "versionId" -> b.versionId(text(p, name));
          case "outcome" -> b.outcome(outcome(text(p, name)));
          case "executionTimeNanos" -> b.executionTime(Duration.ofNanos(longValue(p, name)));
          case "executionTimeMillis" -> {
            if (!t.isNumeric()) {
              throw wrongType(name, "a number", p);
            }
            b.executionTimeMillis(p.getDoubleValue());
          }
          case "attributes" -> {
            if (t != JsonToken.START_OBJECT) {
              throw wrongType(name, "an object of strings", p);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String key = p.currentName();
              p.nextToken();
              b.attribute(key, p.currentToken() == JsonToken.VALUE_NULL ? null
                  : text(p, "attributes." + key));
            }
          }
          default -> p.skipChildren();
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT) {
        throw new SerializationException("an audit event must be one JSON object");
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new SerializationException("an audit event must be a JSON object: "
          + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new SerializationException("cannot read an audit event", e);
    }
    return b.build();
  }

  private static String text(JsonParser p, String name) throws IOException {
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      throw wrongType(name, "a string", p);
    }
    return p.getText();
  }

  private static int integer(JsonParser p, String name) throws IOException {
    if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
      throw wrongType(name, "an integer", p);
    }
    return p.getIntValue();
  }

  private static long longValue(JsonParser p, String name) throws IOException {
    if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
      throw wrongType(name, "an integer", p);
    }
    return p.getLongValue();
  }

  private static long timestamp(JsonParser p) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
      return p.getLongValue();
    }
    if (p.currentToken() == JsonToken.VALUE_STRING) {
      try {
        return Instant.parse(p.getText()).toEpochMilli();
      } catch (DateTimeParseException | ArithmeticException e) {
        throw new SerializationException("timestamp must be an ISO-8601 instant such as"
            + " 2026-03-02T08:00:01.250Z or epoch milliseconds, but was '" + p.getText() + "'");
      }
    }
    throw wrongType("timestamp", "an ISO-8601 string or epoch milliseconds", p);
  }

  private static Outcome outcome(String value) {
    try {
      return Outcome.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new SerializationException("outcome must be SUCCESS or FAILURE, but was '"
          + value + "'");
    }
  }

  private static SerializationException wrongType(String name, String expected, JsonParser p)
      throws IOException {
    return new SerializationException(name + " must be " + expected + ", but was "
        + p.currentToken() + " '" + p.getText() + "'");
  }
}
