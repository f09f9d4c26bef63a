package io.batanomaly.detectors.internal;

import io.batanomaly.api.Anomaly;
import io.batanomaly.spi.Attachment;
import io.batanomaly.spi.DetectorContext;
import io.batanomaly.spi.TenantScope;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * One policy-version detector's {@link VersionTable}s, one per tenant, with the counters they
 * share: evictions, expirations and sheds of every table, and the evaluations that arrived too
 * late for their window.
 *
 * <p>It gives the three policy-version detectors one way to reach a tenant's table on the hot
 * path (an attachment read: no lock, no allocation), to find the version an anomaly is about
 * for verification, and to report the same state counters in {@code stats()}.
 *
 * <p>Thread-safe: the tables are, and the late counter is a {@link LongAdder}.
 *
 * @param <G> the group type
 * @param <V> the per-version state
 */
public final class VersionTables<G extends VersionGroup<V>, V extends TrackedVersion> {

  /**
   * A tracked version an anomaly is about, with the tenant scope and group it was found in.
   *
   * @param scope the tenant's scope
   * @param group the version's module and function
   * @param version the version's state
   * @param <G> the group type
   * @param <V> the per-version state
   */
  public record Found<G, V>(TenantScope scope, G group, V version) {}

  /**
   * Receives a tenant's table with the tenant's event-time watermark.
   *
   * @param <G> the group type
   * @param <V> the per-version state
   */
  @FunctionalInterface
  public interface TableVisitor<G extends VersionGroup<V>, V extends TrackedVersion> {
    /**
     * @param tenant the tenant
     * @param table the tenant's table
     * @param watermarkMillis the newest event time the tenant has seen
     */
    void visit(String tenant, VersionTable<G, V> table, long watermarkMillis);
  }

  private final DetectorContext context;
  private final VersionTable.Counters counters = new VersionTable.Counters();
  private final Attachment<VersionTable<G, V>> tables;
  private final LongAdder late = new LongAdder();
  /** The adapter of the last visitor of {@link #forEachTable}. */
  private volatile TenantVisit visit;

  /**
   * Creates the tables of one detector; each tenant's table is created on first use.
   *
   * @param context the detector context
   * @param budget the most versions tracked per tenant, at least 1
   * @param idleMillis how long, by event time, a version may go without evaluations before a
   *     sweep may remove it as expired
   * @param groups creates groups
   * @param versions creates version states
   */
  public VersionTables(DetectorContext context, int budget, long idleMillis,
      VersionTable.GroupFactory<G> groups, VersionTable.VersionFactory<G, V> versions) {
    this.context = context;
    this.tables = context.tenantAttachment(
        tenant -> new VersionTable<>(budget, idleMillis, groups, versions, counters));
  }

  /**
   * Returns a tenant's table, creating it on first use.
   *
   * @param scope the tenant's scope
   * @return the table
   */
  public VersionTable<G, V> of(TenantScope scope) {
    return scope.get(tables);
  }

  /**
   * Visits the table of every tenant that has seen an event, with the tenant's watermark, for
   * the judgements that run on the engine tick.
   *
   * @param visitor receives each table
   */
  public void forEachTable(TableVisitor<G, V> visitor) {
    // the tick passes the same visitor every time: reuse its adapter rather than a new lambda
    TenantVisit a = visit;
    if (a == null || a.visitor != visitor) {
      a = new TenantVisit(visitor);
      visit = a;
    }
    context.forEachTenant(a);
  }

  /** Adapts a {@link TableVisitor} to the tenants the context visits. Immutable. */
  private final class TenantVisit implements Consumer<TenantScope> {
    final TableVisitor<G, V> visitor;

    TenantVisit(TableVisitor<G, V> visitor) {
      this.visitor = visitor;
    }

    @Override
    public void accept(TenantScope scope) {
      long watermark = scope.maxEventTime();
      if (watermark != Long.MIN_VALUE) {
        visitor.visit(scope.tenant(), of(scope), watermark);
      }
    }
  }

  /** Counts one evaluation that arrived too late for its window. */
  public void countLate() {
    late.increment();
  }

  /**
   * Counts evaluations that arrived too late for their window.
   *
   * @param n how many
   */
  public void countLate(long n) {
    late.add(n);
  }

  /**
   * Finds the tracked version an anomaly names by tenant, policy module, function and version.
   *
   * @param anomaly the anomaly
   * @return the version with its scope and group, or {@code null} if the tenant or the version
   *     is not tracked (any more), or the anomaly names no policy version
   */
  public Found<G, V> find(Anomaly anomaly) {
    TenantScope scope = ScopeLookup.tenant(context, anomaly.tenant());
    G group = scope == null || anomaly.policyModule() == null
        || anomaly.policyFunction() == null ? null
        : of(scope).group(anomaly.policyModule(), anomaly.policyFunction());
    V v = group == null || anomaly.versionId() == null ? null
        : group.version(anomaly.versionId());
    return v == null ? null : new Found<>(scope, group, v);
  }

  /**
   * Returns the state counters every policy-version detector reports, in this order:
   * {@code keysTracked} (versions tracked over all tenants), {@code keysEvicted},
   * {@code keysExpired}, {@code keysShed} and {@code lateEvents}. The map is mutable, so a
   * detector can add its own counters after them.
   *
   * @return a new, ordered map of the counters
   */
  public Map<String, Long> stats() {
    long[] tracked = {0};
    context.forEachTenant(scope -> tracked[0] += of(scope).size());
    Map<String, Long> stats = new LinkedHashMap<>();
    stats.put("keysTracked", tracked[0]);
    stats.put("keysEvicted", counters.evicted());
    stats.put("keysExpired", counters.expired());
    stats.put("keysShed", counters.shed());
    stats.put("lateEvents", late.sum());
    return stats;
  }
}
