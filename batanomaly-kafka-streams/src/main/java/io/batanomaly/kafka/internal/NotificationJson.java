package io.batanomaly.kafka.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.batanomaly.AnomalyNotification;
import io.batanomaly.kafka.AuditEventSerde;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Renders notifications as the JSON records of the notification topic. */
public final class NotificationJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private NotificationJson() {}

  /**
   * Renders a notification.
   *
   * @param n the notification
   * @return {@code {"kind":…,"anomaly":{…},"alert":{…}}}
   */
  public static String write(AnomalyNotification n) {
    try {
      ObjectNode root = MAPPER.createObjectNode();
      root.put("kind", n.kind().name());
      root.set("anomaly", MAPPER.valueToTree(n.anomaly()));
      if (n.change() != null) {
        root.set("change", MAPPER.valueToTree(n.change()));
      }
      if (n.alert() != null) {
        root.set("alert", MAPPER.readTree(AuditEventSerde.write(n.alert())));
      }
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot render a notification as JSON", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
