package io.batanomaly.jdbc.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyNotFoundException;
import io.batanomaly.api.AnomalyStatus;
import io.batanomaly.api.HistoryEntry;
import io.batanomaly.api.IllegalTransitionException;
import io.batanomaly.api.InvalidRequestException;
import io.batanomaly.api.Origin;
import io.batanomaly.api.Severity;
import io.batanomaly.api.TriageException;
import io.batanomaly.spi.IdempotencyStore.Outcome;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored form of anomalies and Idempotency-Key outcomes: JSON that reads back into an equal
 * record. Unlike the API's JSON (timestamps to the second, instants as text), it keeps every
 * instant to the nanosecond and the Java type of each evidence value: a whole number is a
 * {@code Long} unless tagged {@code {"@int": n}}, a fraction a {@code Double}, and instants,
 * durations and big numbers are tagged objects ({@code {"@instant": "…"}}). A value of any other
 * type is stored as its text. Thread-safe.
 */
public final class AnomalyCodec {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private AnomalyCodec() {}

  /**
   * Encodes an anomaly.
   *
   * @param a the anomaly
   * @return its stored form
   */
  public static String write(Anomaly a) {
    return text(anomalyNode(a));
  }

  /**
   * Decodes an anomaly.
   *
   * @param json its stored form
   * @return the anomaly
   * @throws IllegalStateException if the text is not a stored anomaly
   */
  public static Anomaly read(String json) {
    return anomaly(tree(json));
  }

  /**
   * Encodes an Idempotency-Key outcome: the anomaly, or the error's kind, message and the
   * details needed to raise the same error again.
   *
   * @param outcome the outcome
   * @return its stored form
   */
  public static String writeOutcome(Outcome outcome) {
    ObjectNode n = NODES.objectNode();
    if (outcome.anomaly() != null) {
      n.set("anomaly", anomalyNode(outcome.anomaly()));
      return text(n);
    }
    TriageException e = outcome.error();
    ObjectNode err = n.putObject("error");
    err.put("kind", e.getClass().getSimpleName());
    err.put("status", e.httpStatus());
    err.put("message", e.getMessage());
    if (e instanceof IllegalTransitionException t) {
      err.put("current", t.current().name());
      err.put("requested", t.requested().name());
    } else if (e instanceof AnomalyNotFoundException nf) {
      err.put("id", nf.id());
    }
    return text(n);
  }

  /**
   * Decodes an Idempotency-Key outcome. An error is raised again as the same class with the
   * same message and HTTP status where the class is one of the API's; any other as a
   * {@link StoredTriageException} with the stored status and message.
   *
   * @param json its stored form
   * @return the outcome
   */
  public static Outcome readOutcome(String json) {
    JsonNode n = tree(json);
    if (n.has("anomaly")) {
      return new Outcome(anomaly(n.get("anomaly")), null);
    }
    JsonNode err = n.get("error");
    String kind = err.path("kind").asText();
    String message = err.path("message").asText();
    TriageException e = switch (kind) {
      case "IllegalTransitionException" -> transition(message,
          AnomalyStatus.valueOf(err.get("current").asText()),
          AnomalyStatus.valueOf(err.get("requested").asText()));
      case "AnomalyNotFoundException" -> new AnomalyNotFoundException(err.get("id").asText());
      case "InvalidRequestException" -> new InvalidRequestException(message);
      default -> new StoredTriageException(err.path("status").asInt(500), message);
    };
    return new Outcome(null, e);
  }

  /** Rebuilds a conflict with exactly its stored message, through the constructor that made it. */
  private static TriageException transition(String message, AnomalyStatus current,
      AnomalyStatus requested) {
    String prefix = "Anomaly '";
    int end = message.indexOf("' cannot move from ");
    if (message.startsWith(prefix) && end > prefix.length()) {
      String id = message.substring(prefix.length(), end);
      IllegalTransitionException plain = new IllegalTransitionException(id, current, requested);
      if (plain.getMessage().equals(message)) {
        return plain;
      }
      String head = prefix + id + "' cannot move from " + current + " to " + requested + ": ";
      if (message.startsWith(head)) {
        return new IllegalTransitionException(id, current, requested,
            message.substring(head.length()));
      }
    }
    return new StoredTriageException(409, message);
  }

  private static ObjectNode anomalyNode(Anomaly a) {
    ObjectNode n = NODES.objectNode();
    n.put("id", a.id());
    n.put("tenant", a.tenant());
    n.put("type", a.type());
    n.put("subject", a.subject());
    putNullable(n, "service", a.service());
    putNullable(n, "identifier", a.identifier());
    putNullable(n, "policyModule", a.policyModule());
    putNullable(n, "policyFunction", a.policyFunction());
    putNullable(n, "versionId", a.versionId());
    n.put("detectedAt", a.detectedAt().toString());
    n.put("lastSeenAt", a.lastSeenAt().toString());
    n.put("occurrences", a.occurrences());
    n.put("status", a.status().name());
    n.put("severity", a.severity().name());
    putNullable(n, "summary", a.summary());
    n.set("metrics", value(a.metrics()));
    ArrayNode actions = n.putArray("recommendedActions");
    a.recommendedActions().forEach(actions::add);
    ArrayNode history = n.putArray("history");
    for (HistoryEntry h : a.history()) {
      ObjectNode e = history.addObject();
      putNullable(e, "from", h.from() == null ? null : h.from().name());
      e.put("to", h.to().name());
      e.put("at", h.at().toString());
      putNullable(e, "note", h.note());
      e.put("origin", h.origin().name());
      e.set("metrics", value(h.metrics()));
    }
    return n;
  }

  private static Anomaly anomaly(JsonNode n) {
    List<String> actions = new ArrayList<>();
    n.path("recommendedActions").forEach(x -> actions.add(x.asText()));
    List<HistoryEntry> history = new ArrayList<>();
    for (JsonNode e : n.path("history")) {
      history.add(new HistoryEntry(
          e.hasNonNull("from") ? AnomalyStatus.valueOf(e.get("from").asText()) : null,
          AnomalyStatus.valueOf(e.get("to").asText()), Instant.parse(e.get("at").asText()),
          nullable(e, "note"), Origin.valueOf(e.get("origin").asText()),
          map(e.get("metrics"))));
    }
    return new Anomaly(n.get("id").asText(), n.get("tenant").asText(), n.get("type").asText(),
        n.get("subject").asText(), nullable(n, "service"), nullable(n, "identifier"),
        nullable(n, "policyModule"), nullable(n, "policyFunction"), nullable(n, "versionId"),
        Instant.parse(n.get("detectedAt").asText()), Instant.parse(n.get("lastSeenAt").asText()),
        n.get("occurrences").asLong(), AnomalyStatus.valueOf(n.get("status").asText()),
        Severity.valueOf(n.get("severity").asText()), nullable(n, "summary"),
        map(n.get("metrics")), actions, history);
  }

  private static JsonNode value(Object v) {
    if (v == null) {
      return NODES.nullNode();
    }
    if (v instanceof String s) {
      return NODES.textNode(s);
    }
    if (v instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    if (v instanceof Long l) {
      return NODES.numberNode(l);
    }
    if (v instanceof Double d) {
      if (!Double.isFinite(d)) {
        return tagged("@double", NODES.textNode(d.toString()));
      }
      return NODES.numberNode(d);
    }
    if (v instanceof Integer i) {
      return tagged("@int", NODES.numberNode(i));
    }
    if (v instanceof Short s) {
      return tagged("@short", NODES.numberNode(s));
    }
    if (v instanceof Byte b) {
      return tagged("@byte", NODES.numberNode(b));
    }
    if (v instanceof Float f) {
      return tagged("@float", NODES.textNode(f.toString()));
    }
    if (v instanceof BigDecimal d) {
      return tagged("@decimal", NODES.textNode(d.toString()));
    }
    if (v instanceof BigInteger i) {
      return tagged("@bigint", NODES.textNode(i.toString()));
    }
    if (v instanceof Instant i) {
      return tagged("@instant", NODES.textNode(i.toString()));
    }
    if (v instanceof Duration d) {
      return tagged("@duration", NODES.textNode(d.toString()));
    }
    if (v instanceof Map<?, ?> m) {
      ObjectNode o = NODES.objectNode();
      m.forEach((k, x) -> o.set(String.valueOf(k), value(x)));
      return o;
    }
    if (v instanceof Collection<?> c) {
      ArrayNode arr = NODES.arrayNode();
      c.forEach(x -> arr.add(value(x)));
      return arr;
    }
    return NODES.textNode(v.toString());
  }

  private static ObjectNode tagged(String tag, JsonNode v) {
    ObjectNode o = NODES.objectNode();
    o.set(tag, v);
    return o;
  }

  private static Object object(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isTextual()) {
      return n.asText();
    }
    if (n.isBoolean()) {
      return n.asBoolean();
    }
    if (n.isIntegralNumber()) {
      return n.asLong();
    }
    if (n.isNumber()) {
      return n.asDouble();
    }
    if (n.isArray()) {
      List<Object> list = new ArrayList<>();
      n.forEach(x -> list.add(object(x)));
      return list;
    }
    if (n.size() == 1) {
      String tag = n.fieldNames().next();
      JsonNode v = n.get(tag);
      switch (tag) {
        case "@int": return v.asInt();
        case "@short": return (short) v.asInt();
        case "@byte": return (byte) v.asInt();
        case "@float": return Float.valueOf(v.asText());
        case "@double": return Double.valueOf(v.asText());
        case "@decimal": return new BigDecimal(v.asText());
        case "@bigint": return new BigInteger(v.asText());
        case "@instant": return Instant.parse(v.asText());
        case "@duration": return Duration.parse(v.asText());
        default: break;
      }
    }
    return map(n);
  }

  private static Map<String, Object> map(JsonNode n) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (n == null || !n.isObject()) {
      return m;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      m.put(e.getKey(), object(e.getValue()));
    }
    return m;
  }

  private static void putNullable(ObjectNode n, String field, String value) {
    if (value != null) {
      n.put(field, value);
    }
  }

  private static String nullable(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static String text(JsonNode n) {
    try {
      return MAPPER.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode a stored anomaly: " + e.getMessage(), e);
    }
  }

  private static JsonNode tree(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored anomaly is not valid JSON: " + e.getMessage(), e);
    }
  }

  /** A stored client error of a kind this module does not rebuild: same status and message. */
  public static final class StoredTriageException extends TriageException {
    private static final long serialVersionUID = 1L;
    private final int status;

    StoredTriageException(int status, String message) {
      super(message);
      this.status = status;
    }

    @Override
    public int httpStatus() {
      return status;
    }
  }
}
