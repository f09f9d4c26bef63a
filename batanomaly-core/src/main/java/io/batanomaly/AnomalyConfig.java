package io.batanomaly;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Immutable engine settings: raw {@code ANOMALY_*} values read once, parsed by typed
 * {@link Setting} keys.
 *
 * <p>Create one with {@link #defaults()}, {@link #fromEnvironment()} or {@link #fromMap(Map)},
 * adjust with {@link #toBuilder()}. A key that is not given reads as its documented default.
 * {@link AnomalyEngine.Builder#build()} validates every setting the engine and its detectors
 * declare, all at once, and fails with one message listing every bad value.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class AnomalyConfig {

  /** Prefix of every key this library reads from the environment. */
  public static final String PREFIX = "ANOMALY_";

  private static final AnomalyConfig DEFAULTS = new AnomalyConfig(Map.of());

  private final Map<String, String> values;

  private AnomalyConfig(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(new TreeMap<>(values));
  }

  /**
   * Returns the configuration in which every setting has its documented default.
   *
   * @return the defaults
   */
  public static AnomalyConfig defaults() {
    return DEFAULTS;
  }

  /**
   * Reads every {@code ANOMALY_*} environment variable.
   *
   * @return the configuration
   */
  public static AnomalyConfig fromEnvironment() {
    return fromMap(System.getenv());
  }

  /**
   * Reads the {@code ANOMALY_*} entries of a map; other entries are ignored, so a whole
   * environment or properties map can be passed.
   *
   * @param source the raw values
   * @return the configuration
   * @throws NullPointerException if {@code source} is null
   */
  public static AnomalyConfig fromMap(Map<String, String> source) {
    Objects.requireNonNull(source, "source");
    Map<String, String> values = new TreeMap<>();
    source.forEach((k, v) -> {
      if (k != null && v != null && k.startsWith(PREFIX)) {
        values.put(k, v);
      }
    });
    return new AnomalyConfig(values);
  }

  /**
   * Returns a builder holding these values.
   *
   * @return a builder
   */
  public Builder toBuilder() {
    return new Builder(values);
  }

  /**
   * Returns a setting's value: the configured one, parsed, or the default.
   *
   * @param setting the setting
   * @param <T> its type
   * @return the value
   * @throws IllegalArgumentException if the configured text is not valid for the setting
   */
  public <T> T get(Setting<T> setting) {
    String raw = values.get(setting.key());
    return raw == null ? setting.defaultValue() : setting.parse(raw);
  }

  /**
   * Returns the raw text configured for a key.
   *
   * @param key the key
   * @return the text, or {@code null} if the key is not configured
   */
  public String raw(String key) {
    return values.get(key);
  }

  /**
   * Returns every configured key and its raw text.
   *
   * @return an unmodifiable sorted map
   */
  public Map<String, String> asMap() {
    return values;
  }

  /**
   * Checks settings and returns one message per invalid value.
   *
   * @param settings the settings to check
   * @return the messages, empty when every value is valid
   */
  public List<String> validate(Collection<? extends Setting<?>> settings) {
    List<String> errors = new ArrayList<>();
    for (Setting<?> setting : settings) {
      try {
        get(setting);
      } catch (IllegalArgumentException e) {
        errors.add(e.getMessage());
      }
    }
    return errors;
  }

  /**
   * Tells whether a detector is switched on: it is unless {@code ANOMALY_DISABLED_DETECTORS}
   * names it or one of its types, in any case.
   *
   * @param name the detector's name, such as {@code brute_force}
   * @param types the anomaly types it reports
   * @return {@code true} if the detector should run
   */
  public boolean isDetectorEnabled(String name, Collection<String> types) {
    Set<String> disabled = java.util.Arrays.stream(get(AnomalySettings.DISABLED_DETECTORS)
            .split(","))
        .map(s -> s.trim().toUpperCase(Locale.ROOT))
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toSet());
    if (disabled.contains(name.toUpperCase(Locale.ROOT))) {
      return false;
    }
    for (String type : types) {
      if (disabled.contains(type.toUpperCase(Locale.ROOT))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AnomalyConfig && ((AnomalyConfig) o).values.equals(values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  /**
   * Returns the configured keys and values, with the values of keys ending in {@code _SECRET}
   * or {@code _PRIVATE_KEY} masked.
   *
   * @return the text
   */
  @Override
  public String toString() {
    // secrets (a webhook signing secret, a VAPID private key) must not reach a log
    Map<String, String> shown = new TreeMap<>(values);
    shown.replaceAll((k, v) -> k.endsWith("_SECRET") || k.endsWith("_PRIVATE_KEY") ? "****" : v);
    return "AnomalyConfig" + shown;
  }

  /** Builds an {@link AnomalyConfig}. Not thread-safe. */
  public static final class Builder {
    private final Map<String, String> values;

    private Builder(Map<String, String> values) {
      this.values = new TreeMap<>(values);
    }

    /**
     * Sets a raw value; it is validated when the engine is built.
     *
     * @param key an {@code ANOMALY_*} key
     * @param value the raw text
     * @return this builder
     * @throws IllegalArgumentException if the key does not start with {@value #PREFIX}
     * @throws NullPointerException if {@code value} is null
     */
    public Builder set(String key, String value) {
      if (key == null || !key.startsWith(PREFIX)) {
        throw new IllegalArgumentException(
            "setting keys start with " + PREFIX + ", but was '" + key + "'");
      }
      values.put(key, Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Sets a typed value.
     *
     * @param setting the setting
     * @param value the value
     * @param <T> its type
     * @return this builder
     */
    public <T> Builder set(Setting<T> setting, T value) {
      return set(setting.key(), setting.format(value));
    }

    /**
     * Removes a key so it reads as its default.
     *
     * @param key the key
     * @return this builder
     */
    public Builder unset(String key) {
      values.remove(key);
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @return the configuration
     */
    public AnomalyConfig build() {
      return new AnomalyConfig(values);
    }
  }
}
