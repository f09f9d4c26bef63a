package io.batanomaly.detectors.internal;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The versions one detector tracks for one policy module and function of one tenant. Detectors
 * that judge a version against its siblings (the previous version, the current one) subclass it
 * to keep that function-level state.
 *
 * @param <V> the per-version state
 */
public class VersionGroup<V extends TrackedVersion> {
  private final String module;
  private final String function;
  final ConcurrentHashMap<String, V> versions = new ConcurrentHashMap<>(4);

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
