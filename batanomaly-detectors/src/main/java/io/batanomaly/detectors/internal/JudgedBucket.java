package io.batanomaly.detectors.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The newest bucket a detector has judged for one key, for rules judged when a bucket of event
 * time closes. Extend it with the key's windows; {@link #claim} lets exactly one of the threads
 * that see a bucket close judge it, and never an older bucket after a newer one.
 *
 * <p>Lock-free: one volatile read and, for a newer bucket, one CAS; nothing is allocated.
 */
public abstract class JudgedBucket {
  private static final VarHandle JUDGED;

  static {
    try {
      JUDGED = MethodHandles.lookup().findVarHandle(JudgedBucket.class, "judged", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private volatile long judged = Long.MIN_VALUE;

  /** Creates the state of a key none of whose buckets has been judged. */
  protected JudgedBucket() {}

  /**
   * Claims the judging of a bucket: true for one caller, and only for a newer bucket.
   *
   * @param epoch the bucket
   * @return {@code true} if the caller is to judge it
   */
  public final boolean claim(long epoch) {
    long current = judged;
    while (epoch > current) {
      if (JUDGED.compareAndSet(this, current, epoch)) {
        return true;
      }
      current = judged;
    }
    return false;
  }
}
