package io.batanomaly.detectors.internal;

import io.batanomaly.api.Severity;

/**
 * The one severity mapping of the built-in detectors: how far past its threshold an
 * observation is, as a multiple of the threshold ({@code excess = observed / threshold}, so 1.0
 * is exactly at the threshold).
 *
 * <table>
 *   <caption>Severity by excess</caption>
 *   <tr><th>excess</th><th>severity</th></tr>
 *   <tr><td>below 1.5</td><td>LOW</td></tr>
 *   <tr><td>1.5 to below 2</td><td>MEDIUM</td></tr>
 *   <tr><td>2 to below 4</td><td>HIGH</td></tr>
 *   <tr><td>4 and more</td><td>CRITICAL</td></tr>
 * </table>
 *
 * <p>Each detector documents what it divides by what (an error rate by its threshold, a
 * count rule's observed rate by the rate its threshold allows, …).
 */
public final class Severities {
  private Severities() {}

  /** The steps: MEDIUM from 1.5, HIGH from 2, CRITICAL from 4. */
  public static final SeverityScale EXCESS = new SeverityScale(1.5, 2.0, 4.0);

  /**
   * Maps an excess to a severity.
   *
   * @param excess observed divided by threshold; NaN counts as LOW, infinity as CRITICAL
   * @return the severity
   */
  public static Severity ofExcess(double excess) {
    return EXCESS.of(excess);
  }
}
