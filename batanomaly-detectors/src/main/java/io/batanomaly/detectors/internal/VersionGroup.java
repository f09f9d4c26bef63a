package io.batanomaly.detectors.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The versions one detector tracks for one policy module and function of one tenant. Detectors
 * that judge a version against its siblings (the previous version, the current one) subclass it
 * to keep that function-level state.
 *
 * <p>Judgements on the engine tick visit every version of every group; {@link #snapshot()} gives
 * them the versions as a list that is copied only when a version was added or removed since the
 * last copy, so that a tick over unchanged groups allocates nothing.
 *
 * <p>A group is attached to its table until a sweep takes it out, and then detached for good.
 * Its state is one {@code int}: while attached, the number of versions in it plus the
 * creations under way; detaching while a sweep that found it empty and unpinned looks at the
 * pin once more; detached once it is out. A creation claims its place with a CAS
 * that fails on a detached group, and a sweep detaches only from zero by a CAS, so a version is
 * never put into a group the table no longer reaches (see {@link VersionTable}).
 *
 * @param <V> the per-version state
 */
public class VersionGroup<V extends TrackedVersion> {
  private static final VarHandle STATE;
  /** The state while a sweep decides whether an empty group goes. */
  private static final int DETACHING = -1;
  /** The state once a sweep took the group out of its table. */
  private static final int DETACHED = -2;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(VersionGroup.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final String module;
  private final String function;
  final ConcurrentHashMap<String, V> versions = new ConcurrentHashMap<>(4);
  /** Bumped after every change of {@link #versions}, so a stale snapshot is noticed. */
  private final AtomicInteger changes = new AtomicInteger();
  private volatile Snapshot<V> snapshot;
  /** Versions in the group plus creations under way; or {@link #DETACHING}, {@link #DETACHED}. */
  @SuppressWarnings("unused") // written through STATE
  private volatile int state;

  /** The versions as of one value of {@link #changes}. */
  private record Snapshot<V>(int changes, List<V> versions) {}

  /**
   * Creates an empty group.
   *
   * @param module the policy module
   * @param function the policy function
   */
  public VersionGroup(String module, String function) {
    this.module = module;
    this.function = function;
  }

  /** @return the policy module */
  public final String module() {
    return module;
  }

  /** @return the policy function */
  public final String function() {
    return function;
  }

  /**
   * Returns a tracked version.
   *
   * @param versionId the version
   * @return its state, or {@code null} if it is not tracked
   */
  public final V version(String versionId) {
    return versions.get(versionId);
  }

  /** @return a live view of the tracked versions; iteration is weakly consistent */
  public final Collection<V> versions() {
    return versions.values();
  }

  /**
   * Returns the tracked versions as an immutable list, in the order {@link #versions()} iterates
   * them. The list is the one returned last time unless a version was added or removed since;
   * a change that races with the call may or may not be in it, and is in the next call's.
   * Read it by index to allocate nothing.
   *
   * @return the versions
   */
  public final List<V> snapshot() {
    // read the count before copying: a change during the copy leaves the count behind, so the
    // next call copies again
    int now = changes.get();
    Snapshot<V> s = snapshot;
    if (s == null || s.changes() != now) {
      s = new Snapshot<>(now, List.copyOf(versions.values()));
      snapshot = s;
    }
    return s.versions();
  }

  /**
   * Claims a place for a version about to be put in, so that no sweep detaches the group
   * meanwhile; waits while a sweep decides about it.
   *
   * @return {@code false} if the group is detached: the version must go to the group the table
   *     holds now
   */
  final boolean enter() {
    for (;;) {
      int s = (int) STATE.getVolatile(this);
      if (s >= 0) {
        if (STATE.compareAndSet(this, s, s + 1)) {
          return true;
        }
      } else if (s == DETACHED) {
        return false;
      } else {
        Thread.yield(); // a sweep holds it between its two looks at the pin
      }
    }
  }

  /**
   * Adds a version unless one with its id is tracked, in the place {@link #enter} claimed;
   * returns the tracked one, if any, and then gives the place back.
   */
  final V putIfAbsent(String versionId, V version) {
    V raced = versions.putIfAbsent(versionId, version);
    if (raced == null) {
      changes.incrementAndGet();
    } else {
      STATE.getAndAdd(this, -1);
    }
    return raced;
  }

  /** Removes a version if it is the one tracked under its id, and gives its place back. */
  final boolean remove(String versionId, V version) {
    boolean removed = versions.remove(versionId, version);
    if (removed) {
      changes.incrementAndGet();
      STATE.getAndAdd(this, -1);
    }
    return removed;
  }

  /**
   * Detaches the group if it holds no version, no creation is under way and it is not pinned.
   * The pin is read again after the group is marked, so a pin set by a thread that then finds
   * the group attached ({@link #isDetached}) keeps it. Called by the sweep, under its lock.
   *
   * @return {@code true} if the group is now detached and must be taken out of its table
   */
  final boolean detachIfUnused() {
    if ((int) STATE.getVolatile(this) != 0 || isPinned()
        || !STATE.compareAndSet(this, 0, DETACHING)) {
      return false;
    }
    if (isPinned()) {
      STATE.setVolatile(this, 0);
      return false;
    }
    STATE.setVolatile(this, DETACHED);
    return true;
  }

  /**
   * Tells whether a sweep took the group out of its table. A thread that pins the group (so
   * that {@link #isPinned} answers {@code true}) and then finds it attached here knows the pin
   * holds: no sweep removes it after. A detached group is never attached again; its table
   * creates a new one for the same module and function.
   *
   * @return {@code true} if the group is no longer in its table
   */
  public final boolean isDetached() {
    for (;;) {
      int s = (int) STATE.getVolatile(this);
      if (s != DETACHING) {
        return s == DETACHED;
      }
      Thread.yield();
    }
  }

  /**
   * Returns the version that served this function before {@code version} appeared: among the
   * versions first seen earlier, the one seen last.
   *
   * @param version a version of this group
   * @return the previous version, or {@code null} if there is none
   */
  public final V previousOf(TrackedVersion version) {
    V best = null;
    for (V v : versions.values()) {
      if (v != version && v.firstSeen() < version.firstSeen()
          && (best == null || v.lastSeen() > best.lastSeen())) {
        best = v;
      }
    }
    return best;
  }

  /**
   * Tells whether the group must stay even when it tracks no version, such as when the host
   * declared its current version. The default keeps nothing. It must read what pins the group
   * from volatile fields: a thread pins a group by writing them and then checking {@link
   * #isDetached}, and the sweep reads them again after marking the group.
   *
   * @return {@code true} to keep the empty group
   */
  protected boolean isPinned() {
    return false;
  }
}
