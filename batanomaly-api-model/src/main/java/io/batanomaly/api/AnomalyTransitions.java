package io.batanomaly.api;

import static io.batanomaly.api.AnomalyStatus.DISMISSED;
import static io.batanomaly.api.AnomalyStatus.OPEN;
import static io.batanomaly.api.AnomalyStatus.RESOLVED;
import static io.batanomaly.api.AnomalyStatus.VERIFYING;

/**
 * The triage transition table: which status change each origin may make.
 *
 * <pre>
 * from \ to   OPEN         VERIFYING  RESOLVED           DISMISSED
 * OPEN        -            verify     PATCH, detector    PATCH
 * VERIFYING   job          -          job                -
 * RESOLVED    PATCH        -          -                  -
 * DISMISSED   PATCH        -          -                  -
 * </pre>
 *
 * <p>"verify" is the verify action ({@link Origin#VERIFICATION} from OPEN), "job" the
 * verification job it starts ({@link Origin#VERIFICATION} from VERIFYING), "PATCH" a status
 * update by a person ({@link Origin#USER}). The one change a detector makes on its own
 * ({@link Origin#DETECTOR}) is OPEN to RESOLVED, when its condition has cleared (a silent
 * service that is heard again). Every other change, including a change to the current status,
 * is a conflict.
 */
public final class AnomalyTransitions {
  private AnomalyTransitions() {}

  /**
   * Tells whether {@code origin} may change an anomaly from {@code from} to {@code to}.
   *
   * @param from the current status
   * @param to the requested status
   * @param origin who asks for the change
   * @return {@code true} if the table allows it
   */
  public static boolean isAllowed(AnomalyStatus from, AnomalyStatus to, Origin origin) {
    switch (origin) {
      case USER:
        return (from == OPEN && (to == RESOLVED || to == DISMISSED))
            || ((from == RESOLVED || from == DISMISSED) && to == OPEN);
      case VERIFICATION:
        return (from == OPEN && to == VERIFYING)
            || (from == VERIFYING && (to == OPEN || to == RESOLVED));
      case DETECTOR:
        return from == OPEN && to == RESOLVED;
      default:
        return false;
    }
  }

  /**
   * Checks a change against the table.
   *
   * @param id the anomaly id, for the message
   * @param from the current status
   * @param to the requested status
   * @param origin who asks for the change
   * @throws IllegalTransitionException if the table does not allow it
   */
  public static void check(String id, AnomalyStatus from, AnomalyStatus to, Origin origin) {
    if (!isAllowed(from, to, origin)) {
      throw new IllegalTransitionException(id, from, to);
    }
  }

  /** A short explanation appended to conflict messages. */
  static String hint(AnomalyStatus from, AnomalyStatus to) {
    if (from == to) {
      return ": it is already " + from;
    }
    if (from == VERIFYING) {
      return ": a verification is in progress and will set RESOLVED or OPEN";
    }
    if (to == VERIFYING) {
      return ": only an OPEN anomaly can be verified";
    }
    if (from == RESOLVED || from == DISMISSED) {
      return ": a closed anomaly can only be reopened (OPEN)";
    }
    return "";
  }
}
