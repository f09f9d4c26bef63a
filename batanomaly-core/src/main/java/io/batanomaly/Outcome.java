package io.batanomaly;

/** The result of one policy evaluation, as carried by a policy-evaluation {@link AuditEvent}. */
public enum Outcome {
  /** The evaluation ran to completion, whatever decision it produced. */
  SUCCESS,
  /** The evaluation failed: an error, a timeout, or a crash of the policy. */
  FAILURE
}
