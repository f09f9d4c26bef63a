package io.batanomaly.spi;

/**
 * Where a detector reports. Thread-safe; never throws for a well-formed finding.
 */
public interface FindingSink {

  /**
   * Reports a finding. The engine opens an anomaly, updates the active one for the same
   * tenant, type and subject, or suppresses it during that subject's cooldown.
   *
   * @param finding the finding
   */
  void report(Finding finding);

  /**
   * Tells the engine a condition is over: the active OPEN anomaly for this tenant, type and
   * subject, if any, becomes RESOLVED with origin DETECTOR. An anomaly being verified is left to
   * its verification.
   *
   * @param tenant the tenant
   * @param type the anomaly type
   * @param subject the subject
   * @param reason why the condition is over, recorded in the history
   */
  void clear(String tenant, String type, String subject, String reason);
}
