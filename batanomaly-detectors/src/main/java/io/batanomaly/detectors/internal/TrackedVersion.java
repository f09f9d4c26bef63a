package io.batanomaly.detectors.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The state one detector keeps for one policy version ({@code module/function@versionId}) of one
 * tenant, inside a {@link VersionTable}. Subclasses add their windows.
 *
 * <p>{@link #touch} records the newest event time seen with a CAS loop on a {@code long}, so it
 * is lock-free and allocation-free; whether the detector's condition holds is a volatile flag;
 * the other fields are final.
 */
public abstract class TrackedVersion {
  private static final VarHandle LAST_SEEN;

  static {
    try {
      LAST_SEEN = MethodHandles.lookup().findVarHandle(TrackedVersion.class, "lastSeen",
          long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final VersionGroup<?> group;
  /** The group's module and function, kept here too so a look-up compares without the group. */
  private final String module;
  private final String function;
  private final String versionId;
  private final String subject;
  private final long firstSeen;
  private final int keyHash;
  @SuppressWarnings("unused") // written through LAST_SEEN
  private volatile long lastSeen;
  private volatile boolean holding;
  private volatile boolean removed;

  /**
   * Creates the state of a version first seen at {@code firstSeenMillis}.
   *
   * @param group the module and function the version belongs to
   * @param versionId the version id
   * @param firstSeenMillis the event time of its first evaluation
   */
  protected TrackedVersion(VersionGroup<?> group, String versionId, long firstSeenMillis) {
    this.group = group;
    this.module = group.module();
    this.function = group.function();
    this.versionId = versionId;
    this.subject = Subjects.of(group.module(), group.function(), versionId);
    this.firstSeen = firstSeenMillis;
    this.lastSeen = firstSeenMillis;
    this.keyHash = VersionTable.keyHash(module, function, versionId);
  }

  /** @return the hash its table indexes it by */
  final int keyHash() {
    return keyHash;
  }

  /** Tells whether this is the version {@code module/function@versionId}. */
  final boolean is(String module, String function, String versionId) {
    return same(this.versionId, versionId) && same(this.function, function)
        && same(this.module, module);
  }

  private static boolean same(String a, String b) {
    return a == b || a.equals(b);
  }

  /** Marks the version as removed from its table, before it is removed. */
  final void markRemoved() {
    removed = true;
  }

  /**
   * Tells whether a sweep removed the version from its table: state gathered for it since
   * belongs to the version tracked under its key now.
   *
   * @return whether the version was removed from its table
   */
  public final boolean isRemoved() {
    return removed;
  }

  /** @return the policy module */
  public final String module() {
    return module;
  }

  /** @return the policy function */
  public final String function() {
    return function;
  }

  /** @return the version id */
  public final String versionId() {
    return versionId;
  }

  /** @return {@code module/function@versionId}, the subject of its anomalies */
  public final String subject() {
    return subject;
  }

  /** @return the event time of the version's first evaluation this detector saw */
  public final long firstSeen() {
    return firstSeen;
  }

  /** @return the newest event time of the version's evaluations */
  public final long lastSeen() {
    return (long) LAST_SEEN.getAcquire(this);
  }

  /**
   * Records an evaluation time, keeping the newest.
   *
   * @param eventMillis the event time
   */
  public final void touch(long eventMillis) {
    long seen = (long) LAST_SEEN.getAcquire(this);
    while (eventMillis > seen) {
      long witness = (long) LAST_SEEN.compareAndExchange(this, seen, eventMillis);
      if (witness == seen) {
        return;
      }
      seen = witness;
    }
  }

  /**
   * Records whether the detector's condition held for this version when it was last judged.
   *
   * @param holds {@code true} while the condition holds
   */
  public final void setHolding(boolean holds) {
    this.holding = holds;
  }

  /**
   * Tells whether the entry must survive a sweep for room. The default protects a version while
   * its condition holds ({@link #setHolding}), so an open anomaly keeps its evidence.
   *
   * @param nowMillis the current event time
   * @return {@code true} to keep the entry while it is not idle beyond the table's horizon
   */
  protected boolean isProtected(long nowMillis) {
    return holding;
  }
}
