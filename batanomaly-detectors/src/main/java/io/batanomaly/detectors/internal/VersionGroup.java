package io.batanomaly.detectors.internal;

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
 * @param <V> the per-version state
 */
public class VersionGroup<V extends TrackedVersion> {
  private final String module;
  private final String function;
  final ConcurrentHashMap<String, V> versions = new ConcurrentHashMap<>(4);
  /** Bumped after every change of {@link #versions}, so a stale snapshot is noticed. */
  private final AtomicInteger changes = new AtomicInteger();
  private volatile Snapshot<V> snapshot;

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

  /** Adds a version unless one with its id is tracked; returns the tracked one, if any. */
  final V putIfAbsent(String versionId, V version) {
    V raced = versions.putIfAbsent(versionId, version);
    if (raced == null) {
      changes.incrementAndGet();
    }
    return raced;
  }

  /** Removes a version if it is the one tracked under its id. */
  final boolean remove(String versionId, V version) {
    boolean removed = versions.remove(versionId, version);
    if (removed) {
      changes.incrementAndGet();
    }
    return removed;
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
   * declared its current version. The default keeps nothing.
   *
   * @return {@code true} to keep the empty group
   */
  protected boolean isPinned() {
    return false;
  }
}
