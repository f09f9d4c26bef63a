package io.batanomaly.detectors.internal;

import io.batanomaly.spi.TenantScope;
import java.util.function.Consumer;

/**
 * A per-thread scratch table that gathers the evaluations of one ingest batch per policy version
 * (tenant, module, function, version), so that a detector touches the version's shared state
 * once per run of evaluations instead of once per evaluation.
 *
 * <h2>Why</h2>
 *
 * <p>Finding a tracked version in its {@link VersionTable} is three {@code ConcurrentHashMap}
 * look-ups, and counting an evaluation is a CAS on a bucket shared with other threads. A batch
 * of a thousand evaluations names a few hundred versions at most, so looking each version up
 * once per batch and adding a run of evaluations in one CAS does a fraction of the work. The
 * table here is an open-addressed array probed by the hash of the three strings (each string
 * caches its hash) and compared by reference first: no allocation, no lock.
 *
 * <h2>Contract</h2>
 *
 * <p>An {@link Entry} holds the version the detector resolved for its key and what the detector
 * has gathered for it but not yet applied: a count, the newest event time, and, when the
 * detector asks for it, a short buffer of values. {@link #entry} returns the key's entry,
 * creating a blank one (no version) on first use in a round; a round is one detector's pass over
 * one batch. The detector applies what an entry holds whenever the order of operations on the
 * shared state could be observed (before a per-event operation on the same version, before
 * creating a version, before reporting), and always before the round ends; {@link #endRound}
 * then forgets every entry, so that nothing the table holds outlives the batch and no version
 * resolved in one batch is used in the next (a sweep may have removed it meanwhile).
 *
 * <p>The table holds at most {@value #MAX_ENTRIES} entries; {@link #entry} returns {@code null}
 * when it is full, and the detector then applies every entry and starts a new round.
 *
 * <p>Memory, per ingesting thread and detector: the 2,048-slot array (8 KB with compressed
 * references) and the entries of the batch with the most versions so far, some 80 bytes each
 * plus the value buffer of a detector that keeps values (64 values, 528 bytes); at most
 * {@value #MAX_ENTRIES} entries. Between batches the entries hold no reference to a tenant, a
 * version or a string.
 *
 * <p>Not thread-safe: each ingesting thread has its own (detectors keep one per thread in a
 * {@link ThreadLocal}).
 *
 * @param <V> the per-version state
 */
public final class VersionBatch<V extends TrackedVersion> {

  /** The most entries of one round. */
  public static final int MAX_ENTRIES = 1024;
  private static final int CAPACITY = 2 * MAX_ENTRIES;
  private static final int MASK = CAPACITY - 1;

  /** One version's gathered evaluations. */
  public static final class Entry<V> {
    TenantScope tenant;
    String module;
    String function;
    String versionId;
    int hash;
    int slot;
    /** The version, once the detector has resolved it; {@code null} before. */
    public V version;
    /** Any detector state that belongs with the version this round, such as its table. */
    public Object table;
    /** The first event time of the bucket or window the gathered evaluations fall in. */
    public long from;
    /** The end (exclusive) of that bucket or window; {@code from == to} when there is none. */
    public long to;
    /** Evaluations gathered and not yet applied. */
    public int count;
    /** Failures among them, for detectors that count failures. */
    public int failures;
    /** The newest event time among them. */
    public long newest = Long.MIN_VALUE;
    /** Values gathered with them, for detectors that keep values; allocated on first use. */
    public long[] values;

    /** @return the tenant */
    public TenantScope tenant() {
      return tenant;
    }

    /** @return the policy module */
    public String module() {
      return module;
    }

    /** @return the policy function */
    public String function() {
      return function;
    }

    /** @return the version id */
    public String versionId() {
      return versionId;
    }

    /** @return {@link VersionTable#keyHash} of the entry's module, function and version id */
    public int keyHash() {
      return hash;
    }

    /**
     * Tells whether an event time falls in the entry's current bucket or window.
     *
     * @param t the event time
     * @return whether it does
     */
    public boolean covers(long t) {
      return t >= from && t < to;
    }

    /**
     * Gathers one evaluation.
     *
     * @param t its event time
     */
    public void gather(long t) {
      count++;
      if (t > newest) {
        newest = t;
      }
    }

    /** Forgets what was gathered (after it was applied). */
    public void reset() {
      count = 0;
      failures = 0;
      newest = Long.MIN_VALUE;
    }

    void forget() {
      tenant = null;
      module = null;
      function = null;
      versionId = null;
      version = null;
      table = null;
      from = 0;
      to = 0;
      reset();
    }
  }

  @SuppressWarnings("unchecked")
  private final Entry<V>[] slots = new Entry[CAPACITY];
  @SuppressWarnings("unchecked")
  private final Entry<V>[] entries = new Entry[MAX_ENTRIES];
  private int size;

  /** @return the number of entries of this round */
  public int size() {
    return size;
  }

  /**
   * Returns an entry of this round, by position.
   *
   * @param i from 0 to {@link #size()} - 1
   * @return the entry
   */
  public Entry<V> get(int i) {
    return entries[i];
  }

  /**
   * Returns the entry of a version, creating a blank one (no version, nothing gathered) on first
   * use in this round.
   *
   * @param tenant the tenant's scope
   * @param module the policy module
   * @param function the policy function
   * @param versionId the version id
   * @return the entry, or {@code null} if the key is new and the table is full
   */
  public Entry<V> entry(TenantScope tenant, String module, String function, String versionId) {
    int h = hash(module, function, versionId);
    int i = h & MASK;
    for (Entry<V> e; (e = slots[i]) != null; i = (i + 1) & MASK) {
      if (e.hash == h && e.tenant == tenant && same(e.module, module)
          && same(e.function, function) && same(e.versionId, versionId)) {
        return e;
      }
    }
    if (size == MAX_ENTRIES) {
      return null;
    }
    Entry<V> e = entries[size];
    if (e == null) {
      e = new Entry<>();
      entries[size] = e;
    }
    size++;
    e.tenant = tenant;
    e.module = module;
    e.function = function;
    e.versionId = versionId;
    e.hash = h;
    e.slot = i;
    slots[i] = e;
    return e;
  }

  /**
   * Finds or creates the version of a new entry in the table it is tracked in. Creating a
   * version may sweep the table, which reads every version's newest time and may remove
   * versions resolved earlier in the batch: so before creating, {@code applyAll} applies what
   * the batch gathered and a new round begins, and the entry returned is the new round's.
   *
   * @param e the entry, with no version yet
   * @param table the tenant's table of the entry's detector
   * @param nowMillis the event time, for a sweep
   * @param applyAll applies every entry's gathered evaluations to its version
   * @return the entry with its version, or {@code null} if the table has no room for it
   */
  public Entry<V> resolve(Entry<V> e, VersionTable<?, V> table, long nowMillis,
      Consumer<VersionBatch<V>> applyAll) {
    V v = table.get(e.keyHash(), e.module(), e.function(), e.versionId());
    if (v == null) {
      TenantScope tenant = e.tenant();
      String module = e.module();
      String function = e.function();
      String versionId = e.versionId();
      applyAll.accept(this);
      endRound();
      v = table.getOrCreate(module, function, versionId, nowMillis);
      if (v == null) {
        return null;
      }
      e = entry(tenant, module, function, versionId);
    }
    e.version = v;
    return e;
  }

  /**
   * Forgets every entry of this round. Call only once every entry's gathered evaluations have
   * been applied.
   */
  public void endRound() {
    for (int i = 0; i < size; i++) {
      Entry<V> e = entries[i];
      slots[e.slot] = null;
      e.forget();
    }
    size = 0;
  }

  private static boolean same(String a, String b) {
    return a == b || a.equals(b);
  }

  private static int hash(String module, String function, String versionId) {
    return VersionTable.keyHash(module, function, versionId);
  }
}
