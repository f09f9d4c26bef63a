package io.batanomaly.detectors.internal;

/** The subject of a policy-version anomaly: {@code module/function@versionId}. */
public final class Subjects {
  private Subjects() {}

  /**
   * Names a policy version.
   *
   * @param module the policy module
   * @param function the policy function
   * @param versionId the version
   * @return {@code module/function@versionId}
   */
  public static String of(String module, String function, String versionId) {
    return module + "/" + function + "@" + versionId;
  }
}
