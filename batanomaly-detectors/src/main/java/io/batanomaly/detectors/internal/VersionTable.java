package io.batanomaly.detectors.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * One detector's per-version state for one tenant, under a budget of versions, looked up without
 * allocating.
 *
 * <h2>Layout</h2>
 *
 * <p>Nested maps: module → function → {@link VersionGroup} → version id → state. Looking up a
 * tracked version is three {@link ConcurrentHashMap#get} calls on the event's own strings: no
 * lock, no composite key, no allocation. Grouping by function also gives the detectors the
 * siblings of a version (the previous one, the current one) without a scan.
 *
 * <p>In front of the maps, {@link #get} reads an index: an open-addressed array of versions
 * (at least twice the budget, at most {@value #MAX_INDEX} slots) probed by the hash of the three
 * strings, which finds a version in one or two reads where the maps take three look-ups and
 * their cache misses. The index is only a cache. A version the maps give is put in a free slot
 * of its probe run (or is not indexed when the run is full); a removal first marks the version
 * removed, then takes it out of its group, and once a sweep is done replaces the index with an
 * empty one. A look-up that finds a version marked removed asks the maps, so a removed version
 * is never returned by the index after it was taken out of the maps: the same guarantee as a
 * map look-up, with the same race (a version looked up just before its removal).
 *
 * <h2>Budget and eviction</h2>
 *
 * <p>At most {@code budget} versions are tracked: a new version first reserves room with a CAS
 * on the size, so the budget is exact under any concurrency. When the table is full, the
 * creating thread sweeps it under a lock (threads creating at the same time wait for that sweep;
 * lookups of tracked versions never wait):
 *
 * <ol>
 *   <li>versions idle for longer than {@code idleMillis} (by event time) are removed and counted
 *       as expired;
 *   <li>if that frees less than a tenth of the budget, unprotected versions are removed, least
 *       recently seen first, until a tenth is free, and counted as evicted.
 * </ol>
 *
 * <p>A protected version (see {@link TrackedVersion#isProtected}) is never evicted for room
 * (only once idle beyond {@code idleMillis}); if
 * every version is protected the new one is not tracked and counted as shed. Empty groups and
 * modules are removed by the sweep unless pinned ({@link VersionGroup#isPinned}).
 *
 * <h2>Removing empty groups and modules</h2>
 *
 * <p>A sweep must not take out a group (or a module's map of groups) into which another thread
 * is putting a version: the version would hold a place of the budget that no look-up, tick or
 * later sweep reaches. So each group and each module's map counts what keeps it: a group its
 * versions and the creations under way in it, a module its groups. A creation claims its place
 * in the group with a CAS that raises the count; a group created in a module raises the module's
 * count inside {@link ConcurrentHashMap#computeIfAbsent}. A sweep takes a group or module out
 * only after a CAS from zero to detached, and detached is for good: a creation that finds its
 * group or module detached takes it out of the maps itself, if the sweep has not yet, and
 * retries against the one the maps hold now. A group's count stays above zero while it holds a
 * version, so it stays in its module's map, whose count stays above zero, so it stays in the
 * table's map: every version in a group is reachable, and {@code size} (the places reserved) is
 * the number of versions in the maps plus the creations under way. Look-ups read the maps as
 * before, without a lock or a CAS. A group is pinned by setting what {@link
 * VersionGroup#isPinned} reads and then checking {@link VersionGroup#isDetached}: the sweep
 * reads the pin again after marking the group, so one of the two sees the other.
 *
 * @param <G> the group type
 * @param <V> the per-version state
 */
public final class VersionTable<G extends VersionGroup<V>, V extends TrackedVersion> {

  /**
   * Creates the group of a module and function.
   *
   * @param <G> the group type
   */
  @FunctionalInterface
  public interface GroupFactory<G> {
    /**
     * @param module the policy module
     * @param function the policy function
     * @return a new, empty group
     */
    G create(String module, String function);
  }

  /**
   * Creates the state of a new version.
   *
   * @param <G> the group type
   * @param <V> the version state
   */
  @FunctionalInterface
  public interface VersionFactory<G, V> {
    /**
     * @param group the group the version belongs to
     * @param versionId the version id
     * @param firstSeenMillis the event time of its first evaluation
     * @return the new state
     */
    V create(G group, String versionId, long firstSeenMillis);
  }

  private final ConcurrentHashMap<String, Module<G>> modules = new ConcurrentHashMap<>();
  private final int budget;
  private final long idleMillis;
  private final GroupFactory<G> groups;
  private final VersionFactory<G, V> versions;
  private final AtomicInteger size = new AtomicInteger();
  private final LongAdder evicted;
  private final LongAdder expired;
  private final LongAdder shed;
  private final ReentrantLock sweepLock = new ReentrantLock();
  /** Slots of the index in front of the maps: a power of two, at least twice the budget. */
  private static final int MAX_INDEX = 4096;
  /** Slots a look-up in the index tries before it asks the maps. */
  private static final int INDEX_PROBES = 8;
  private volatile AtomicReferenceArray<V> index;
  /** Bumped after groups may have been added or removed, so a stale snapshot is noticed. */
  private final AtomicInteger groupChanges = new AtomicInteger();
  private volatile GroupSnapshot<G> groupSnapshot;

  /**
   * Test seam: runs in a sweep after it marked a group (module, function) or a module (module,
   * {@code null}) detached and before it takes it out of the maps.
   */
  BiConsumer<String, String> beforeRemoval = (module, function) -> {};

  /** The groups as of one value of {@link #groupChanges}. */
  private record GroupSnapshot<G>(int changes, List<G> groups) {}

  /**
   * The groups of one module by function, with a count of its groups (and groups being
   * created) that a sweep CASes from zero to {@link #DETACHED} before it removes the module.
   * Not a map itself: it is equal only to itself, so a conditional removal from the table's map
   * of modules takes out this module and never another one that holds the same groups (two
   * empty maps are equal).
   */
  private static final class Module<G> {
    private static final VarHandle GROUPS;
    private static final int DETACHED = -1;

    static {
      try {
        GROUPS = MethodHandles.lookup().findVarHandle(Module.class, "groups", int.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final ConcurrentHashMap<String, G> functions = new ConcurrentHashMap<>(4);
    @SuppressWarnings("unused") // written through GROUPS
    private volatile int groups;

    /** Counts a group about to be added; {@code false} if the module is detached. */
    boolean enter() {
      for (;;) {
        int n = (int) GROUPS.getVolatile(this);
        if (n < 0) {
          return false;
        }
        if (GROUPS.compareAndSet(this, n, n + 1)) {
          return true;
        }
      }
    }

    /** Takes a detached group out, once, and stops counting it. */
    void removeDetached(String function, Object group) {
      if (functions.remove(function, group)) {
        GROUPS.getAndAdd(this, -1);
      }
    }

    /** Detaches the module if it has no group; called by the sweep. */
    boolean detachIfEmpty() {
      return GROUPS.compareAndSet(this, 0, DETACHED);
    }
  }

  /**
   * Creates an empty table.
   *
   * @param budget the most versions tracked, at least 1
   * @param idleMillis how long, by event time, a version may go without evaluations before a
   *     sweep may remove it as expired
   * @param groups creates groups
   * @param versions creates version states
   * @param counters where evictions, expirations and sheds are counted (shared by every table
   *     of a detector)
   * @throws IllegalArgumentException if {@code budget} is below 1
   */
  public VersionTable(int budget, long idleMillis, GroupFactory<G> groups,
      VersionFactory<G, V> versions, Counters counters) {
    if (budget < 1) {
      throw new IllegalArgumentException("budget must be at least 1, but was " + budget);
    }
    this.budget = budget;
    this.index = new AtomicReferenceArray<>(
        Integer.highestOneBit(Math.min(budget, MAX_INDEX / 2) * 2 - 1) << 1);
    this.idleMillis = idleMillis;
    this.groups = groups;
    this.versions = versions;
    this.evicted = counters.evicted;
    this.expired = counters.expired;
    this.shed = counters.shed;
  }

  /** Eviction counters, shared by the tables of one detector. Thread-safe. */
  public static final class Counters {
    final LongAdder evicted = new LongAdder();
    final LongAdder expired = new LongAdder();
    final LongAdder shed = new LongAdder();

    /** @return unprotected versions removed to make room */
    public long evicted() {
      return evicted.sum();
    }

    /** @return idle versions removed by sweeps */
    public long expired() {
      return expired.sum();
    }

    /** @return new versions not tracked because every tracked one was protected */
    public long shed() {
      return shed.sum();
    }
  }

  /**
   * Returns a tracked version's state without creating it.
   *
   * @param module the policy module
   * @param function the policy function
   * @param versionId the version
   * @return the state, or {@code null}
   */
  public V get(String module, String function, String versionId) {
    return get(keyHash(module, function, versionId), module, function, versionId);
  }

  /**
   * As {@link #get(String, String, String)}, with the key's hash already computed.
   *
   * @param keyHash {@link #keyHash} of the three strings
   * @param module the policy module
   * @param function the policy function
   * @param versionId the version
   * @return the state, or {@code null}
   */
  public V get(int keyHash, String module, String function, String versionId) {
    int h = keyHash;
    AtomicReferenceArray<V> slots = index;
    int mask = slots.length() - 1;
    int dead = -1;
    for (int i = 0; i < INDEX_PROBES; i++) {
      int slot = (h + i) & mask;
      V v = slots.getAcquire(slot);
      if (v == null) {
        break;
      }
      if (v.keyHash() == h && v.is(module, function, versionId)) {
        if (!v.isRemoved()) {
          return v;
        }
        dead = slot;
        break;
      }
    }
    Module<G> m = modules.get(module);
    if (m == null) {
      return null;
    }
    G group = m.functions.get(function);
    V v = group == null ? null : group.versions.get(versionId);
    if (v != null) {
      remember(slots, h, v, dead);
    }
    return v;
  }

  /**
   * Puts a version the maps gave into the index: in place of its removed predecessor, or in the
   * first free slot of its probe run; if the run is full the version is simply not indexed.
   */
  private static <V> void remember(AtomicReferenceArray<V> slots, int h, V v, int dead) {
    if (dead >= 0) {
      V old = slots.getAcquire(dead);
      slots.compareAndSet(dead, old, v);
      return;
    }
    int mask = slots.length() - 1;
    for (int i = 0; i < INDEX_PROBES; i++) {
      int slot = (h + i) & mask;
      if (slots.getAcquire(slot) == null && slots.compareAndSet(slot, null, v)) {
        return;
      }
    }
  }

  /**
   * Returns the hash a version is indexed by, from its module, function and id.
   *
   * @param module the policy module
   * @param function the policy function
   * @param versionId the version id
   * @return the hash
   */
  public static int keyHash(String module, String function, String versionId) {
    int h = (module.hashCode() * 31 + function.hashCode()) * 31 + versionId.hashCode();
    // spread the high bits down: the low bits pick the slot
    return h ^ (h >>> 11) ^ (h >>> 22);
  }

  /**
   * Marks a version removed and removes it from its group; any removal also replaces the index
   * with an empty one (see the class comment).
   */
  private boolean removeVersion(G group, String versionId, V v) {
    v.markRemoved();
    return group.remove(versionId, v);
  }

  /** Starts an empty index, after versions were removed. */
  private void clearIndex() {
    index = new AtomicReferenceArray<>(index.length());
  }

  /**
   * Returns a group without creating it.
   *
   * @param module the policy module
   * @param function the policy function
   * @return the group, or {@code null}
   */
  public G group(String module, String function) {
    Module<G> m = modules.get(module);
    return m == null ? null : m.functions.get(function);
  }

  /**
   * Returns the group the maps hold for a module and function, creating it (and its module)
   * if needed; the group may be detached by the time it is returned, which the caller checks
   * with a CAS ({@link VersionGroup#enter}) or {@link VersionGroup#isDetached}.
   */
  private G attach(String module, String function) {
    for (;;) {
      Module<G> m = modules.get(module);
      if (m == null) {
        m = modules.computeIfAbsent(module, k -> new Module<>());
      }
      G group = m.functions.get(function);
      if (group != null) {
        return group;
      }
      Module<G> in = m;
      group = m.functions.computeIfAbsent(function,
          f -> in.enter() ? groups.create(module, function) : null);
      if (group != null) {
        groupChanges.incrementAndGet();
        return group;
      }
      // the module was detached: take it out if the sweep has not yet, and use a new one
      modules.remove(module, m);
    }
  }

  /** Takes a group that was found detached out of the maps, if the sweep has not yet. */
  private void forget(G group) {
    Module<G> m = modules.get(group.module());
    if (m != null) {
      m.removeDetached(group.function(), group);
    }
    groupChanges.incrementAndGet();
  }

  /**
   * Returns a group, creating it if needed. Groups do not count against the budget; a group
   * that is not pinned is removed by a sweep once it tracks no version.
   *
   * @param module the policy module
   * @param function the policy function
   * @return the group
   */
  public G groupOrCreate(String module, String function) {
    for (;;) {
      G group = attach(module, function);
      if (!group.isDetached()) {
        return group;
      }
      forget(group);
    }
  }

  /**
   * Returns a version's state, creating it (and sweeping first if the table is full).
   *
   * @param module the policy module
   * @param function the policy function
   * @param versionId the version
   * @param nowMillis the event time, for the sweep and as the first-seen time of a new version
   * @return the state, or {@code null} if the budget is full of protected versions
   */
  public V getOrCreate(String module, String function, String versionId, long nowMillis) {
    V existing = get(module, function, versionId);
    return existing != null ? existing : create(module, function, versionId, nowMillis);
  }

  private V create(String module, String function, String versionId, long nowMillis) {
    if (!reserve(nowMillis)) {
      shed.increment();
      return null;
    }
    for (;;) {
      G group = attach(module, function);
      if (!group.enter()) {
        forget(group); // a sweep detached it, empty, after the maps gave it
        continue;
      }
      // the claimed place keeps the group, and with it its module, in the maps
      V created = versions.create(group, versionId, nowMillis);
      V raced = group.putIfAbsent(versionId, created);
      if (raced != null) {
        size.decrementAndGet(); // another thread created it: give the reserved room back
        return raced;
      }
      return created;
    }
  }

  /**
   * Reserves room for one new version, sweeping when the table is full.
   *
   * @return {@code false} if the table is full of protected versions
   */
  private boolean reserve(long nowMillis) {
    for (;;) {
      int n = size.get();
      if (n < budget) {
        if (size.compareAndSet(n, n + 1)) {
          return true;
        }
        continue;
      }
      sweepLock.lock();
      try {
        // a sweep that frees nothing means every version is protected; room it frees may be
        // taken by other threads before this one, which then tries again
        if (size.get() >= budget && sweepLocked(nowMillis) == 0 && size.get() >= budget) {
          return false;
        }
      } finally {
        sweepLock.unlock();
      }
    }
  }

  /**
   * Visits every group.
   *
   * @param visitor receives each group
   */
  public void forEachGroup(Consumer<? super G> visitor) {
    List<G> all = groups();
    for (int i = 0; i < all.size(); i++) {
      visitor.accept(all.get(i));
    }
  }

  /**
   * Returns every group as an immutable list, module by module in the order of the table's
   * maps. The list is the one returned last time unless a group may have been added or removed
   * since; a change that races with the call may or may not be in it, and is in the next call's.
   * Read it by index to allocate nothing: the tick's judgements walk it.
   *
   * @return the groups
   */
  public List<G> groups() {
    // read the count before copying: a change during the copy leaves the count behind, so the
    // next call copies again
    int now = groupChanges.get();
    GroupSnapshot<G> s = groupSnapshot;
    if (s == null || s.changes() != now) {
      List<G> all = new ArrayList<>();
      for (Module<G> m : modules.values()) {
        all.addAll(m.functions.values());
      }
      s = new GroupSnapshot<>(now, List.copyOf(all));
      groupSnapshot = s;
    }
    return s.groups();
  }

  /** @return the number of tracked versions */
  public int size() {
    return size.get();
  }

  /**
   * Removes expired versions and, if that frees less than a tenth of the budget, the least
   * recently seen unprotected ones; then empty, unpinned groups. Does nothing if another thread
   * is sweeping.
   *
   * @param nowMillis the current event time
   */
  public void sweep(long nowMillis) {
    if (!sweepLock.tryLock()) {
      return;
    }
    try {
      sweepLocked(nowMillis);
    } finally {
      sweepLock.unlock();
    }
  }

  /** Sweeps; the caller holds the sweep lock. Returns how many versions it removed. */
  private int sweepLocked(long nowMillis) {
    int removed = 0;
    int target = budget - Math.max(1, budget / 10);
    long[] ages = new long[Math.min(size.get() + 16, 4096)];
    int sampled = 0;
    int seen = 0;
    for (Module<G> m : modules.values()) {
      for (G group : m.functions.values()) {
        for (Iterator<V> it = group.versions.values().iterator(); it.hasNext(); ) {
          V v = it.next();
          if (nowMillis - v.lastSeen() > idleMillis) {
            if (removeVersion(group, v.versionId(), v)) {
              size.decrementAndGet();
              expired.increment();
              removed++;
            }
          } else if (!v.isProtected(nowMillis)) {
            long touched = v.lastSeen();
            if (sampled < ages.length) {
              ages[sampled++] = touched;
            } else {
              int j = (int) ((seen * 0x9E3779B97F4A7C15L >>> 33) % (seen + 1));
              if (j < ages.length) {
                ages[j] = touched;
              }
            }
            seen++;
          }
        }
      }
    }
    int excess = size.get() - target;
    if (excess > 0 && seen > 0) {
      Arrays.sort(ages, 0, sampled);
      double share = Math.min(1.0, (double) excess / seen);
      long cutoff =
          ages[Math.max(0, Math.min(sampled - 1, (int) Math.ceil(share * sampled) - 1))];
      outer:
      for (Module<G> m : modules.values()) {
        for (G group : m.functions.values()) {
          for (V v : group.versions.values()) {
            if (size.get() <= target) {
              break outer;
            }
            if (!v.isProtected(nowMillis) && v.lastSeen() <= cutoff
                && removeVersion(group, v.versionId(), v)) {
              size.decrementAndGet();
              evicted.increment();
              removed++;
            }
          }
        }
      }
    }
    if (removed > 0) {
      clearIndex();
    }
    // detach by CAS from zero before removing, so no creation can be putting a version into
    // what is removed (see the class comment)
    for (Map.Entry<String, Module<G>> me : modules.entrySet()) {
      Module<G> m = me.getValue();
      boolean changed = false;
      for (Map.Entry<String, G> e : m.functions.entrySet()) {
        G group = e.getValue();
        if (group.detachIfUnused()) {
          beforeRemoval.accept(me.getKey(), e.getKey());
          m.removeDetached(e.getKey(), group);
          changed = true;
        }
      }
      if (changed) {
        groupChanges.incrementAndGet();
      }
      if (m.detachIfEmpty()) {
        beforeRemoval.accept(me.getKey(), null);
        modules.remove(me.getKey(), m);
      }
    }
    return removed;
  }
}
