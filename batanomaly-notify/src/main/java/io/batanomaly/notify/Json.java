package io.batanomaly.notify;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * Writes JSON by hand, so the notifiers need no JSON library at run time.
 *
 * <p>Strings are escaped as RFC 8259 requires: {@code "} and {@code \} with a backslash, the
 * control characters below U+0020 as {@code \b \f \n \r \t} or {@code \}{@code u00XX}. U+2028
 * and U+2029 are escaped too, so the text is also valid JavaScript, and so are lone surrogates,
 * which have no UTF-8 encoding. Values: {@code null}, strings, booleans, numbers (a NaN or
 * infinite double is written as {@code null}, which JSON cannot otherwise hold), {@link Instant}s
 * (as ISO-8601 strings), enums (by name), maps (keys by {@code toString}) and collections;
 * anything else is written as its {@code toString}.
 */
final class Json {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Json() {}

  /**
   * Writes a value.
   *
   * @param value the value
   * @return the JSON text
   */
  static String write(Object value) {
    StringBuilder sb = new StringBuilder(256);
    value(sb, value);
    return sb.toString();
  }

  static void value(StringBuilder sb, Object v) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof String) {
      string(sb, (String) v);
    } else if (v instanceof Boolean) {
      sb.append(v);
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        sb.append("null");
      } else {
        sb.append(v);
      }
    } else if (v instanceof Number) {
      sb.append(v);
    } else if (v instanceof Enum) {
      string(sb, ((Enum<?>) v).name());
    } else if (v instanceof Map) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        string(sb, String.valueOf(e.getKey()));
        sb.append(':');
        value(sb, e.getValue());
      }
      sb.append('}');
    } else if (v instanceof Collection) {
      sb.append('[');
      boolean first = true;
      for (Object o : (Collection<?>) v) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        value(sb, o);
      }
      sb.append(']');
    } else {
      string(sb, v.toString());
    }
  }

  static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\b':
          sb.append("\\b");
          break;
        case '\f':
          sb.append("\\f");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\t':
          sb.append("\\t");
          break;
        default:
          if (c < 0x20 || c == '\u2028' || c == '\u2029' || isLoneSurrogate(s, i)) {
            sb.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf])
                .append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }

  private static boolean isLoneSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
    }
    return false;
  }
}
