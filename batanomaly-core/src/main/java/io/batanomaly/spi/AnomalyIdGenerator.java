package io.batanomaly.spi;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Chooses the id of a new anomaly, for hosts whose ids come from elsewhere (a database sequence,
 * a ticketing system, fixed ids in documentation). The default, {@link #random()}, gives ids
 * such as {@code anom-3f2a9c81d04e6b7a5c19}.
 *
 * <p>The engine calls it while opening an anomaly, under the lock of that anomaly's tenant, type
 * and subject; it must be fast and thread-safe. An id that is blank, longer than
 * {@value #MAX_LENGTH} characters, not made of visible ASCII characters (a path segment: no
 * {@code / ? # %}), or already used in the
 * tenant is replaced by a random one (and the engine logs it), so a faulty generator never fails
 * ingest.
 */
@FunctionalInterface
public interface AnomalyIdGenerator {

  /** Longest id accepted, in characters. */
  int MAX_LENGTH = 128;

  /**
   * Returns the id of the anomaly about to be opened for a finding.
   *
   * @param finding the finding that opens the anomaly
   * @return the id, unique within the finding's tenant
   */
  String newId(Finding finding);

  /**
   * Returns the default generator: {@code "anom-"} and 20 random hexadecimal digits.
   *
   * @return the generator
   */
  static AnomalyIdGenerator random() {
    return finding -> {
      ThreadLocalRandom r = ThreadLocalRandom.current();
      return "anom-" + Long.toHexString(r.nextLong() | Long.MIN_VALUE).substring(1)
          + Long.toHexString(r.nextLong() | Long.MIN_VALUE).substring(9);
    };
  }

  /**
   * Tells whether an id is acceptable: 1 to {@value #MAX_LENGTH} visible ASCII characters that
   * can stand as a URL path segment as they are (no {@code / ? # %}).
   *
   * @param id the id
   * @return whether the engine accepts it
   */
  static boolean isValid(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c < 0x21 || c > 0x7e || c == '/' || c == '?' || c == '#' || c == '%') {
        return false;
      }
    }
    return true;
  }
}
