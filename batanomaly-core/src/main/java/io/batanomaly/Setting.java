package io.batanomaly;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One typed configuration key, such as {@code ANOMALY_BRUTE_FORCE_THRESHOLD}, with its default,
 * its parser and a one-line description for the settings table.
 *
 * <p>Settings are declared once, as constants next to the code that reads them (the core ones
 * in {@link AnomalySettings}, a detector's in its package), and read with
 * {@link AnomalyConfig#get(Setting)}. Parsing failures name the key and the value given:
 * {@code "ANOMALY_VOLUME_WINDOW must be a positive number of seconds, but was '-5'"}.
 *
 * <p>Every duration setting also accepts an ISO-8601 duration as {@link Duration#parse} reads it
 * ({@code PT5M}, {@code PT30S}, {@code P1D}, any case), the form Spring and other frameworks
 * write: a key read in seconds takes a whole number of seconds that way, a key read in minutes a
 * whole number of minutes.
 *
 * @param <T> the value type
 */
public final class Setting<T> {

  private static final Pattern DURATION =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)?", Pattern.CASE_INSENSITIVE);

  private final String key;
  private final T defaultValue;
  private final String rule;
  private final Function<String, T> parser;
  private final String description;

  private Setting(
      String key, T defaultValue, String rule, Function<String, T> parser, String description) {
    this.key = requireKey(key);
    this.defaultValue = Objects.requireNonNull(defaultValue, "defaultValue");
    this.rule = rule;
    this.parser = parser;
    this.description = Objects.requireNonNull(description, "description");
  }

  private static String requireKey(String key) {
    if (key == null || !key.matches("[A-Z][A-Z0-9_]*")) {
      throw new IllegalArgumentException(
          "a setting key must be UPPER_SNAKE_CASE, but was '" + key + "'");
    }
    return key;
  }

  /**
   * A number greater than zero.
   *
   * @param key the key
   * @param defaultValue the default
   * @param description one line for the settings table
   * @return the setting
   */
  public static Setting<Double> positiveDouble(String key, double defaultValue, String description) {
    return new Setting<>(key, defaultValue, "a positive number", raw -> {
      double v = Double.parseDouble(raw);
      return v > 0 && Double.isFinite(v) ? v : null;
    }, description);
  }

  /**
   * A finite number strictly greater than {@code bound}, such as a ratio that must exceed 1.
   *
   * @param key the key
   * @param defaultValue the default
   * @param bound the exclusive lower bound
   * @param description one line for the settings table
   * @return the setting
   */
  public static Setting<Double> greaterThan(
      String key, double defaultValue, double bound, String description) {
    return new Setting<>(key, defaultValue, "a number greater than " + stripZeros(bound), raw -> {
      double v = Double.parseDouble(raw);
      return v > bound && Double.isFinite(v) ? v : null;
    }, description);
  }

  private static String stripZeros(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  /**
   * A number zero or greater.
   *
   * @param key the key
   * @param defaultValue the default
   * @param description one line for the settings table
   * @return the setting
   */
  public static Setting<Double> nonNegativeDouble(
      String key, double defaultValue, String description) {
    return new Setting<>(key, defaultValue, "a number of 0 or more", raw -> {
      double v = Double.parseDouble(raw);
      return v >= 0 && Double.isFinite(v) ? v : null;
    }, description);
  }

  /**
   * A percentage above 0 and at most 100.
   *
   * @param key the key
   * @param defaultValue the default
   * @param description one line for the settings table
   * @return the setting
   */
  public static Setting<Double> percentage(String key, double defaultValue, String description) {
    return new Setting<>(key, defaultValue, "a percentage above 0 and at most 100", raw -> {
      double v = Double.parseDouble(raw);
      return v > 0 && v <= 100 ? v : null;
    }, description);
  }

  /**
   * A whole number greater than zero.
   *
   * @param key the key
   * @param defaultValue the default
   * @param description one line for the settings table
   * @return the setting
   */
  public static Setting<Integer> positiveInt(String key, int defaultValue, String description) {
    return new Setting<>(key, defaultValue, "a positive whole number", raw -> {
      int v = Integer.parseInt(raw);
      return v > 0 ? v : null;
    }, description);
  }

  /**
   * A whole number of seconds greater than zero, written as plain digits ({@code 300}) or as an
   * ISO-8601 duration of whole seconds ({@code PT5M}).
   *
   * @param key the key
   * @param defaultSeconds the default, in seconds
   * @param description one line for the settings table
   * @return the setting
   */
  public static Setting<Duration> seconds(String key, long defaultSeconds, String description) {
    return new Setting<>(key, Duration.ofSeconds(defaultSeconds), "a positive number of seconds",
        raw -> {
          if (isIso(raw)) {
            Duration d = parseIso(raw);
            return d != null && !d.isZero() && d.getNano() == 0 ? d : null;
          }
          long v = Long.parseLong(raw);
          return v > 0 ? Duration.ofSeconds(v) : null;
        }, description);
  }

  /**
   * A whole number of minutes greater than zero, written as plain digits ({@code 15}) or as an
   * ISO-8601 duration of whole minutes ({@code PT15M}, {@code PT1H}).
   *
   * @param key the key
   * @param defaultMinutes the default, in minutes
   * @param description one line for the settings table
   * @return the setting
   */
  public static Setting<Duration> minutes(String key, long defaultMinutes, String description) {
    return new Setting<>(key, Duration.ofMinutes(defaultMinutes), "a positive number of minutes",
        raw -> {
          if (isIso(raw)) {
            Duration d = parseIso(raw);
            return d != null && !d.isZero() && d.getNano() == 0 && d.getSeconds() % 60 == 0
                ? d : null;
          }
          long v = Long.parseLong(raw);
          return v > 0 ? Duration.ofMinutes(v) : null;
        }, description);
  }

  /**
   * A duration written with a unit ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h},
   * {@code 2d}), as plain seconds ({@code 300}) or in ISO-8601 ({@code PT5M}, {@code PT0.5S},
   * {@code P1D}). Zero is allowed, a negative duration is not.
   *
   * @param key the key
   * @param defaultValue the default
   * @param description one line for the settings table
   * @return the setting
   */
  public static Setting<Duration> duration(String key, Duration defaultValue, String description) {
    return new Setting<>(key, defaultValue,
        "a duration such as 30s, 5m, 1h or a number of seconds", Setting::parseDuration,
        description);
  }

  /**
   * A duration as {@link #duration} takes it, but greater than zero.
   *
   * @param key the key
   * @param defaultValue the default, greater than zero
   * @param description one line for the settings table
   * @return the setting
   */
  public static Setting<Duration> positiveDuration(
      String key, Duration defaultValue, String description) {
    return new Setting<>(key, defaultValue,
        "a duration greater than zero such as 30s, 5m, 1h or a number of seconds", raw -> {
          Duration d = parseDuration(raw);
          return d == null || d.isZero() ? null : d;
        }, description);
  }

  /**
   * {@code true} or {@code false}.
   *
   * @param key the key
   * @param defaultValue the default
   * @param description one line for the settings table
   * @return the setting
   */
  public static Setting<Boolean> flag(String key, boolean defaultValue, String description) {
    return new Setting<>(key, defaultValue, "true or false", raw -> {
      if (raw.equalsIgnoreCase("true")) {
        return Boolean.TRUE;
      }
      return raw.equalsIgnoreCase("false") ? Boolean.FALSE : null;
    }, description);
  }

  /**
   * One word out of a fixed set, in any case; the value is the word as declared.
   *
   * @param key the key
   * @param defaultValue the default, one of {@code choices}
   * @param description one line for the settings table
   * @param choices the words accepted
   * @return the setting
   * @throws IllegalArgumentException if {@code defaultValue} is not one of {@code choices}
   */
  public static Setting<String> oneOf(
      String key, String defaultValue, String description, String... choices) {
    java.util.List<String> words = java.util.List.of(choices);
    if (!words.contains(defaultValue)) {
      throw new IllegalArgumentException("the default of " + key + " must be one of " + words
          + ", but was '" + defaultValue + "'");
    }
    return new Setting<>(key, defaultValue, "one of " + String.join(", ", words), raw -> {
      for (String w : words) {
        if (w.equalsIgnoreCase(raw)) {
          return w;
        }
      }
      return null;
    }, description);
  }

  /**
   * Free text, possibly empty.
   *
   * @param key the key
   * @param defaultValue the default
   * @param description one line for the settings table
   * @return the setting
   */
  public static Setting<String> text(String key, String defaultValue, String description) {
    return new Setting<>(key, defaultValue, "text", raw -> raw, description);
  }

  /**
   * One of a fixed set of words, compared without regard to case and stored in lower case.
   *
   * @param key the key
   * @param defaultValue the default, one of {@code choices}
   * @param choices the accepted words, in lower case
   * @param description one line for the settings table
   * @return the setting
   * @throws IllegalArgumentException if the default is not among the choices
   */
  public static Setting<String> oneOf(String key, String defaultValue,
      java.util.List<String> choices, String description) {
    if (!choices.contains(defaultValue)) {
      throw new IllegalArgumentException("the default of " + key + " must be one of " + choices
          + ", but was '" + defaultValue + "'");
    }
    java.util.List<String> words = java.util.List.copyOf(choices);
    return new Setting<>(key, defaultValue, "one of " + String.join(", ", words), raw -> {
      String v = raw.trim().toLowerCase(Locale.ROOT);
      return words.contains(v) ? v : null;
    }, description);
  }

  /**
   * A comma-separated list of absolute {@code http} or {@code https} URLs, possibly empty
   * (blanks around commas are ignored).
   *
   * @param key the key
   * @param description one line for the settings table
   * @return the setting, whose default is the empty list
   */
  public static Setting<java.util.List<java.net.URI>> httpUrls(String key, String description) {
    return new Setting<>(key, java.util.List.of(),
        "a comma-separated list of absolute http or https URLs", raw -> {
          java.util.List<java.net.URI> urls = new java.util.ArrayList<>();
          for (String part : raw.split(",")) {
            String t = part.trim();
            if (t.isEmpty()) {
              continue;
            }
            java.net.URI u = java.net.URI.create(t);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!u.isAbsolute() || u.getHost() == null
                || !(scheme.equals("http") || scheme.equals("https"))) {
              return null;
            }
            urls.add(u);
          }
          return java.util.List.copyOf(urls);
        }, description);
  }

  static Duration parseDuration(String raw) {
    if (isIso(raw)) {
      return parseIso(raw);
    }
    Matcher m = DURATION.matcher(raw);
    if (!m.matches()) {
      return null;
    }
    double amount = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
    double millis;
    switch (unit) {
      case "ms":
        millis = amount;
        break;
      case "m":
        millis = amount * 60_000d;
        break;
      case "h":
        millis = amount * 3_600_000d;
        break;
      case "d":
        millis = amount * 86_400_000d;
        break;
      default:
        millis = amount * 1000d;
    }
    if (millis > Long.MAX_VALUE / 2) {
      return null;
    }
    return Duration.ofMillis(Math.round(millis));
  }

  private static boolean isIso(String raw) {
    return !raw.isEmpty() && (raw.charAt(0) == 'P' || raw.charAt(0) == 'p');
  }

  /**
   * Reads an ISO-8601 duration; a negative one, or one too large to count in milliseconds, is
   * not a valid setting.
   */
  private static Duration parseIso(String raw) {
    Duration d = Duration.parse(raw);
    if (d.isNegative() || d.getSeconds() > Long.MAX_VALUE / 2_000) {
      return null;
    }
    return d;
  }

  /** @return the key, such as {@code ANOMALY_COOLDOWN} */
  public String key() {
    return key;
  }

  /** @return the default value */
  public T defaultValue() {
    return defaultValue;
  }

  /** @return the one-line description */
  public String description() {
    return description;
  }

  /** @return what a valid value looks like, such as "a positive number of seconds" */
  public String rule() {
    return rule;
  }

  /**
   * Parses a raw value.
   *
   * @param raw the text, surrounding blanks ignored
   * @return the value
   * @throws IllegalArgumentException if {@code raw} is not valid; the message names the key, the
   *     rule and the value given
   */
  public T parse(String raw) {
    T value = null;
    if (raw != null) {
      try {
        value = parser.apply(raw.trim());
      } catch (RuntimeException notANumber) {
        value = null;
      }
    }
    if (value == null) {
      throw new IllegalArgumentException(key + " must be " + rule + ", but was '" + raw + "'");
    }
    return value;
  }

  /**
   * Writes a value as text this setting parses back to the same value.
   *
   * @param value the value
   * @return the text
   * @throws NullPointerException if {@code value} is null
   */
  public String format(T value) {
    Objects.requireNonNull(value, "value");
    if (value instanceof java.util.List) {
      StringBuilder sb = new StringBuilder();
      for (Object o : (java.util.List<?>) value) {
        sb.append(sb.length() == 0 ? "" : ",").append(o);
      }
      return sb.toString();
    }
    if (value instanceof Duration) {
      Duration d = (Duration) value;
      if (rule.equals("a positive number of seconds")) {
        return Long.toString(d.toSeconds());
      }
      if (rule.equals("a positive number of minutes")) {
        return Long.toString(d.toMinutes());
      }
      return d.toMillis() + "ms";
    }
    return value.toString();
  }

  @Override
  public String toString() {
    return key + " (default " + defaultValue + ")";
  }
}
