package io.batanomaly.spring.boot.internal;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.Setting;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Maps {@code batanomaly.*} properties one to one onto {@code ANOMALY_*} settings:
 * {@code batanomaly.brute-force.threshold} is {@code ANOMALY_BRUTE_FORCE_THRESHOLD}. Dots, dashes
 * and the case of a camel-case name all become underscores, so every form Spring's relaxed
 * binding accepts ({@code batanomaly.bruteForce.threshold},
 * {@code BATANOMALY_BRUTE_FORCE_THRESHOLD} in the environment) names the same key. An indexed
 * list ({@code batanomaly.webhook.urls[0]}, or a YAML list) becomes one comma-separated value.
 *
 * <p>The starter's own properties ({@code batanomaly.enabled}, {@code batanomaly.api.*},
 * {@code batanomaly.page.*}, {@code batanomaly.audit-filter.*}) are not settings and are left
 * out. An unknown name fails start-up, except one that only an operating-system environment
 * variable sets: a variable such as {@code BATANOMALY_TOKENS} may belong to something else in the
 * process, so it is ignored rather than refused (a known setting set that way is still read).
 *
 * <p>Not part of the public API.
 */
public final class PropertyMapping {

  /** The property prefix. */
  public static final String PREFIX = "batanomaly";

  /** Starter properties, as upper-snake names, that are not engine settings. */
  private static final List<String> STARTER_KEYS = List.of("ENABLED", "API", "PAGE", "AUDIT_FILTER");

  /** Names grouped under a dotted prefix in the canonical property name. */
  private static final List<String> GROUPS = List.of("VOLUME", "ERROR_RATE", "BRUTE_FORCE",
      "MASS_DELETE", "SILENT_SERVICE", "FAILURE_RATE", "ZOMBIE", "PERFORMANCE", "POLICY",
      "WEBHOOK", "WEBPUSH", "JDBC", "IDEMPOTENCY", "LISTENER", "VERIFY");

  private static final Pattern INDEXED = Pattern.compile("(.*)(?:\\[(\\d+)]|\\.(\\d+))");

  private PropertyMapping() {}

  /**
   * Returns the setting key a property name (after {@code batanomaly.}) stands for.
   *
   * @param name such as {@code brute-force.threshold} or {@code bruteForce.threshold}
   * @return such as {@code ANOMALY_BRUTE_FORCE_THRESHOLD}
   */
  public static String keyOf(String name) {
    StringBuilder sb = new StringBuilder(AnomalyConfig.PREFIX);
    char previous = '_';
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      char out;
      if (c == '.' || c == '-' || c == '_') {
        out = '_';
      } else if (Character.isUpperCase(c) && Character.isLowerCase(previous)) {
        sb.append('_');
        out = c;
      } else {
        out = Character.toUpperCase(c);
      }
      if (!(out == '_' && sb.charAt(sb.length() - 1) == '_')) {
        sb.append(out);
      }
      previous = c;
    }
    return sb.toString();
  }

  /**
   * Returns the canonical property name of a setting key, as the IDE metadata lists it.
   *
   * @param key such as {@code ANOMALY_BRUTE_FORCE_THRESHOLD}
   * @return such as {@code batanomaly.brute-force.threshold}
   */
  public static String propertyOf(String key) {
    String rest = key.substring(AnomalyConfig.PREFIX.length());
    for (String group : GROUPS) {
      if (rest.startsWith(group + "_")) {
        return PREFIX + "." + kebab(group) + "." + kebab(rest.substring(group.length() + 1));
      }
    }
    return PREFIX + "." + kebab(rest);
  }

  private static String kebab(String upperSnake) {
    return upperSnake.toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * Reads every {@code batanomaly.*} property of the environment that is not one of the
   * starter's own.
   *
   * @param environment the environment
   * @return property name (after {@code batanomaly.}) to value, lists joined with commas
   */
  public static Map<String, String> read(Environment environment) {
    Map<String, String> raw = Binder.get(environment)
        .bind(PREFIX, Bindable.mapOf(String.class, String.class)).orElse(Map.of());
    Map<String, TreeMap<Integer, String>> lists = new LinkedHashMap<>();
    Map<String, String> out = new TreeMap<>();
    raw.forEach((name, value) -> {
      Matcher m = INDEXED.matcher(name);
      if (m.matches()) {
        lists.computeIfAbsent(m.group(1), n -> new TreeMap<>())
            .put(Integer.parseInt(m.group(2) != null ? m.group(2) : m.group(3)), value);
      } else {
        out.put(name, value);
      }
    });
    lists.forEach((name, items) -> out.put(name, String.join(",", items.values())));
    out.keySet().removeIf(PropertyMapping::isStarterProperty);
    return out;
  }

  /**
   * Returns the names among {@code read(environment)} that no property source but the operating
   * system's environment sets.
   *
   * @param environment the environment
   * @return property names (after {@code batanomaly.}) set only by environment variables
   */
  public static Set<String> environmentOnly(Environment environment) {
    if (!(environment instanceof ConfigurableEnvironment configurable)) {
      return Set.of();
    }
    List<PropertySource<?>> others = new ArrayList<>();
    for (PropertySource<?> source : configurable.getPropertySources()) {
      if (!(source instanceof SystemEnvironmentPropertySource)
          && !"configurationProperties".equals(source.getName())) {
        others.add(source);
      }
    }
    Map<String, String> withoutVariables = new Binder(ConfigurationPropertySources.from(others))
        .bind(PREFIX, Bindable.mapOf(String.class, String.class)).orElse(Map.of());
    Set<String> set = new java.util.HashSet<>();
    for (String name : read(environment).keySet()) {
      if (!withoutVariables.containsKey(name)) {
        set.add(name);
      }
    }
    return set;
  }

  static boolean isStarterProperty(String name) {
    String key = keyOf(name).substring(AnomalyConfig.PREFIX.length());
    for (String own : STARTER_KEYS) {
      if (key.equals(own) || key.startsWith(own + "_")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Turns properties into a configuration, refusing names that are no known setting.
   *
   * @param properties property name (after {@code batanomaly.}) to value
   * @param known every setting the engine and its detectors read
   * @return the configuration; its values are validated when the engine is built
   * @throws IllegalArgumentException naming every unknown property and the key it maps to, or
   *     two properties that name the same key
   */
  public static AnomalyConfig toConfig(Map<String, String> properties,
      Collection<? extends Setting<?>> known) {
    return toConfig(properties, known, Set.of());
  }

  /**
   * Turns properties into a configuration, refusing names that are no known setting unless they
   * are among {@code ignorable}.
   *
   * @param properties property name (after {@code batanomaly.}) to value
   * @param known every setting the engine and its detectors read
   * @param ignorable names left out, rather than refused, when they are no known setting
   * @return the configuration; its values are validated when the engine is built
   * @throws IllegalArgumentException naming every other unknown property and the key it maps to,
   *     or two properties that name the same key
   */
  public static AnomalyConfig toConfig(Map<String, String> properties,
      Collection<? extends Setting<?>> known, Set<String> ignorable) {
    Set<String> keys = new java.util.HashSet<>();
    for (Setting<?> s : known) {
      keys.add(s.key());
    }
    List<String> errors = new ArrayList<>();
    Map<String, String> byKey = new TreeMap<>();
    Map<String, String> nameOfKey = new TreeMap<>();
    properties.forEach((name, value) -> {
      String key = keyOf(name);
      if (!keys.contains(key)) {
        if (ignorable.contains(name)) {
          return;
        }
        errors.add(PREFIX + "." + name + " (" + key + ") is not a batanomaly setting");
        return;
      }
      String other = nameOfKey.putIfAbsent(key, name);
      if (other != null && !byKey.get(key).equals(value)) {
        errors.add(PREFIX + "." + other + " and " + PREFIX + "." + name + " both set " + key
            + ", to '" + byKey.get(key) + "' and '" + value + "'");
      }
      byKey.putIfAbsent(key, value);
    });
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("Invalid batanomaly configuration:\n  - "
          + String.join("\n  - ", errors));
    }
    return AnomalyConfig.fromMap(byKey);
  }
}
