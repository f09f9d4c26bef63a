package io.batanomaly.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.batanomaly.AnomalySettings;
import io.batanomaly.Setting;
import io.batanomaly.spi.AnomalyStoreProvider;
import io.batanomaly.spi.DetectorProvider;
import io.batanomaly.spi.NotifierProvider;
import io.batanomaly.spring.boot.internal.PropertyMapping;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * Keeps the IDE metadata and the README's Spring Boot table true to the settings the engine,
 * its notifiers and the built-in detectors declare. When the metadata is out of date, run this
 * test with {@code -Dbatanomaly.writeMetadata=true} to rewrite it.
 */
class SpringPropertiesTest {
  private static final Path METADATA = Path.of("src", "main", "resources", "META-INF",
      "additional-spring-configuration-metadata.json");
  private static final Path README = Path.of("..", "README.md");

  /** Every declared setting: engine, notifiers, stores, detectors, in that order. */
  static Map<String, Setting<?>> declared() {
    Map<String, Setting<?>> settings = new LinkedHashMap<>();
    AnomalySettings.all().forEach(s -> settings.putIfAbsent(s.key(), s));
    for (NotifierProvider p : ServiceLoader.load(NotifierProvider.class)) {
      p.settings().forEach(s -> settings.putIfAbsent(s.key(), s));
    }
    for (AnomalyStoreProvider p : ServiceLoader.load(AnomalyStoreProvider.class)) {
      p.settings().forEach(s -> settings.putIfAbsent(s.key(), s));
    }
    for (DetectorProvider p : ServiceLoader.load(DetectorProvider.class)) {
      p.settings().forEach(s -> settings.putIfAbsent(s.key(), s));
    }
    return settings;
  }

  private static Map<String, Object> property(String name, String type, String description,
      Object defaultValue) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("name", name);
    p.put("type", type);
    p.put("description", description);
    if (defaultValue != null) {
      p.put("defaultValue", defaultValue);
    }
    return p;
  }

  /** The Java type an IDE offers for a setting: what its value parses as. */
  static String type(Setting<?> s) {
    Object v = s.defaultValue();
    if (v instanceof Integer) {
      return "java.lang.Integer";
    }
    if (v instanceof Double) {
      return "java.lang.Double";
    }
    if (v instanceof Boolean) {
      return "java.lang.Boolean";
    }
    if (v instanceof Duration && s.rule().startsWith("a duration")) {
      return "java.time.Duration";
    }
    return "java.lang.String";
  }

  static String display(Setting<?> s) {
    Object v = s.defaultValue();
    if (v instanceof Duration && s.rule().startsWith("a duration")) {
      long ms = ((Duration) v).toMillis();
      long[] units = {86_400_000L, 3_600_000L, 60_000L, 1000L};
      String[] names = {"d", "h", "m", "s"};
      for (int i = 0; i < units.length; i++) {
        boolean skipDays = i == 0 && ms < 7 * units[0];
        if (!skipDays && ms != 0 && ms % units[i] == 0) {
          return ms / units[i] + names[i];
        }
      }
      return ms + "ms";
    }
    @SuppressWarnings("unchecked")
    Setting<Object> raw = (Setting<Object>) s;
    return raw.format(v);
  }

  static String expectedMetadata() throws IOException {
    List<Map<String, Object>> properties = new ArrayList<>();
    properties.add(property("batanomaly.enabled", "java.lang.Boolean",
        "Whether to auto-configure the anomaly engine and everything around it.", true));
    properties.add(property("batanomaly.api.enabled", "java.lang.Boolean",
        "Whether to serve the triage endpoints under /api/v1/audit/anomalies and"
            + " /v1/audit/anomalies.", true));
    properties.add(property("batanomaly.page.enabled", "java.lang.Boolean",
        "Whether to serve the Anomalies page with the endpoints.", true));
    properties.add(property("batanomaly.page.path", "java.lang.String",
        "Path the Anomalies page is served under, starting and ending with '/'.",
        "/dashboard/"));
    properties.add(property("batanomaly.page.sign-in", "java.lang.String",
        "How the page authenticates its API calls: bearer-token (asks for a token) or host (the"
            + " application's own session).", "bearer-token"));
    properties.add(property("batanomaly.audit-filter.enabled", "java.lang.Boolean",
        "Whether to record each HTTP request as an audit event.", false));
    properties.add(property("batanomaly.audit-filter.service", "java.lang.String",
        "Service the recorded events carry; spring.application.name when not set.", null));
    properties.add(property("batanomaly.audit-filter.default-tenant", "java.lang.String",
        "Tenant of requests without the tenant header.", "default"));
    properties.add(property("batanomaly.audit-filter.tenant-header", "java.lang.String",
        "Header the tenant is read from.", "X-Tenant-ID"));
    properties.add(property("batanomaly.audit-filter.batch-size", "java.lang.Integer",
        "Events per batch handed to the engine.", 500));
    properties.add(property("batanomaly.audit-filter.capacity", "java.lang.Integer",
        "Events the buffer holds; beyond it events are dropped and counted.", 50000));
    properties.add(property("batanomaly.audit-filter.max-delay", "java.time.Duration",
        "Longest time an event waits for its batch; 0 flushes only full batches.", "1s"));
    properties.add(property("batanomaly.audit-filter.order", "java.lang.Integer",
        "Order of the filter; the default runs it ahead of Spring Security's.", -110));
    for (Setting<?> s : declared().values()) {
      String description = s.description().substring(0, 1).toUpperCase()
          + s.description().substring(1) + ". The " + s.key() + " setting.";
      Object defaultValue = display(s);
      if (s.defaultValue() instanceof Integer || s.defaultValue() instanceof Double
          || s.defaultValue() instanceof Boolean) {
        defaultValue = s.defaultValue();
      } else if ("".equals(defaultValue)) {
        defaultValue = null;
      }
      properties.add(property(PropertyMapping.propertyOf(s.key()), type(s), description,
          defaultValue));
    }
    Map<String, Object> root = new LinkedHashMap<>();
    Map<String, Object> group = new LinkedHashMap<>();
    group.put("name", "batanomaly");
    group.put("description", "Anomaly detection over audit events: each property is the"
        + " ANOMALY_* setting of the same name.");
    root.put("groups", List.of(group));
    root.put("properties", properties);
    return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValueAsString(root) + "\n";
  }

  @Test
  void theIdeMetadataListsEverySettingUnderItsPropertyName() throws IOException {
    String expected = expectedMetadata();
    if (Boolean.getBoolean("batanomaly.writeMetadata")) {
      Files.writeString(METADATA, expected, StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(METADATA, StandardCharsets.UTF_8))
        .as("%s is out of date; run this test with -Dbatanomaly.writeMetadata=true", METADATA)
        .isEqualTo(expected);
  }

  @Test
  void everyPropertyNameMapsBackToItsSetting() {
    for (String key : declared().keySet()) {
      String property = PropertyMapping.propertyOf(key);
      assertThat(PropertyMapping.keyOf(property.substring("batanomaly.".length())))
          .as(property).isEqualTo(key);
    }
    assertThat(PropertyMapping.propertyOf("ANOMALY_BRUTE_FORCE_THRESHOLD"))
        .isEqualTo("batanomaly.brute-force.threshold");
    assertThat(PropertyMapping.propertyOf("ANOMALY_COOLDOWN")).isEqualTo("batanomaly.cooldown");
    assertThat(PropertyMapping.keyOf("bruteForce.maxIdentifiers"))
        .isEqualTo("ANOMALY_BRUTE_FORCE_MAX_IDENTIFIERS");
    assertThat(PropertyMapping.keyOf("brute_force--threshold"))
        .isEqualTo("ANOMALY_BRUTE_FORCE_THRESHOLD");
  }

  /** The README's Spring Boot table: every property, the setting it is, and its default. */
  static String expectedReadmeTable() {
    StringBuilder sb = new StringBuilder("| property | setting | default |\n|---|---|---|\n");
    for (Setting<?> s : declared().values()) {
      String d = display(s);
      sb.append("| `").append(PropertyMapping.propertyOf(s.key())).append("` | `")
          .append(s.key()).append("` | `").append(d.isEmpty() ? "(none)" : d).append("` |\n");
    }
    return sb.toString();
  }

  @Test
  void theReadmeTableListsEverySettingAsAProperty() throws IOException {
    List<String> lines = Files.readAllLines(README);
    int start = lines.indexOf("## Spring Boot");
    assertThat(start).as("README has a '## Spring Boot' section").isNotNegative();
    StringBuilder table = new StringBuilder();
    boolean inTable = false;
    for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
      String line = lines.get(i);
      if (line.startsWith("| property | setting |")) {
        inTable = true;
      }
      if (inTable) {
        if (!line.startsWith("|")) {
          break;
        }
        table.append(line).append('\n');
      }
    }
    String expected = expectedReadmeTable();
    assertThat(table.toString()).as("the README's Spring Boot table; it should read:%n%s",
        expected).isEqualTo(expected);
  }
}
