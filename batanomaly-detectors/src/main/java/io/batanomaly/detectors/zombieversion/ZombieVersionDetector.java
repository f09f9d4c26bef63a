package io.batanomaly.detectors.zombieversion;

import io.batanomaly.AuditEvent;
import io.batanomaly.api.Anomaly;
import io.batanomaly.detectors.internal.Durations;
import io.batanomaly.detectors.internal.Formats;
import io.batanomaly.detectors.internal.ScopeLookup;
import io.batanomaly.detectors.internal.Severities;
import io.batanomaly.detectors.internal.PolicySettings;
import io.batanomaly.detectors.internal.TrackedVersion;
import io.batanomaly.detectors.internal.VersionBatch;
import io.batanomaly.detectors.internal.VersionGroup;
import io.batanomaly.detectors.internal.VersionTable;
import io.batanomaly.detectors.internal.VersionTables;
import io.batanomaly.spi.AcceptedEvents;
import io.batanomaly.spi.Detector;
import io.batanomaly.spi.DetectorContext;
import io.batanomaly.spi.Finding;
import io.batanomaly.spi.FindingSink;
import io.batanomaly.spi.Reevaluation;
import io.batanomaly.spi.ServiceScope;
import io.batanomaly.spi.TenantScope;
import io.batanomaly.window.BucketRing;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Raises {@code ZOMBIE_VERSION} when an old, superseded policy version keeps receiving
 * evaluations after a grace period.
 *
 * <h2>Which version is current</h2>
 *
 * <ul>
 *   <li><b>Declared.</b> When the host calls
 *       {@link io.batanomaly.AnomalyEngine#activateVersion}, the declared version is current
 *       from that moment (in event time: the tenant's event time at the call, so ingest lag or
 *       a replay of older events does not shift the grace period), and every other version of
 *       the module and function that received evaluations before the declaration is
 *       superseded. A version first seen after the
 *       declaration is a new draft and is never superseded by it. A declaration stays until the
 *       host declares another version.
 *   <li><b>Inferred from traffic</b>, when the host declares nothing: the version that carries
 *       at least {@code ANOMALY_ZOMBIE_TAKEOVER_SHARE} of the function's evaluations over the
 *       window ({@code ANOMALY_ZOMBIE_WINDOW}) becomes current, from the moment it is seen doing
 *       so. Only versions first seen before the current one are superseded: a newer canary or
 *       draft never is, and if an older version takes the traffic back (a rollback) it becomes
 *       current again and the newer one is left alone.
 * </ul>
 *
 * <p>A superseded version is a zombie once the grace period ({@code ANOMALY_ZOMBIE_GRACE}) since
 * the change has passed and it still received at least {@code ANOMALY_ZOMBIE_MIN_EVALUATIONS}
 * evaluations inside the window since the end of the grace period. A version that is merely idle
 * never fires, since it receives nothing.
 *
 * <h2>How</h2>
 *
 * <p>{@link #observe} only counts: one {@link BucketRing} per version (buckets a fifteenth of the
 * window wide), found through the lock-free {@link VersionTable}; nothing is allocated. A batch
 * is gathered per version and bucket in the thread's {@link VersionBatch}, so each version is
 * looked up once per batch and each run of its evaluations in one bucket is one add. The
 * judgement runs on the engine tick, once per bucket per function, on the tenant's event-time
 * watermark, over the groups' snapshots (a tick that judges nothing allocates nothing).
 * Severity follows the shared mapping ({@link Severities}) of the zombie's share of the
 * function's evaluations divided by 10%: LOW below 15%, MEDIUM from 15%, HIGH from 20%,
 * CRITICAL from 40%.
 *
 * <p>Versions idle for {@value #IDLE_DAYS} days may be forgotten when room is needed; a
 * forgotten version that comes back counts as first seen anew.
 */
final class ZombieVersionDetector implements Detector {

  static final String TYPE = "ZOMBIE_VERSION";
  static final int IDLE_DAYS = 7;
  /** The share of traffic the severity of a zombie is measured against. */
  static final double REFERENCE_SHARE = 0.10;

  private final long graceMillis;
  private final Duration window;
  private final int minEvaluations;
  private final double takeoverShare;
  private final long bucketMillis;
  private final int windowBuckets;
  private final VersionTables<FunctionState, CountedVersion> tables;
  /** Applies a batch's gathered evaluations: made once, for {@link VersionBatch#resolve}. */
  private final Consumer<VersionBatch<CountedVersion>> applyGathered = this::applyAll;
  /** Each ingesting thread's scratch for {@link #observe(AcceptedEvents, FindingSink)}. */
  private final ThreadLocal<VersionBatch<CountedVersion>> batches =
      ThreadLocal.withInitial(VersionBatch::new);
  /** The visitor of the last tick, reused while the sink is the same. */
  private volatile TickVisit tickVisit;

  ZombieVersionDetector(DetectorContext context) {
    this.graceMillis = context.config().get(ZombieVersionSettings.GRACE).toMillis();
    this.window = context.config().get(ZombieVersionSettings.WINDOW);
    this.minEvaluations = context.config().get(ZombieVersionSettings.MIN_EVALUATIONS);
    this.takeoverShare = context.config().get(ZombieVersionSettings.TAKEOVER_SHARE) / 100.0;
    int budget = context.config().get(PolicySettings.MAX_VERSIONS);
    this.bucketMillis = Math.max(1000, window.toMillis() / 15);
    this.windowBuckets = (int) ((window.toMillis() + bucketMillis - 1) / bucketMillis);
    int ringBuckets = BucketRing.bucketsFor(window.toMillis(),
        context.allowedLateness().toMillis(), bucketMillis);
    this.tables = new VersionTables<>(context, budget, Duration.ofDays(IDLE_DAYS).toMillis(),
        FunctionState::new,
        (group, versionId, first) -> new CountedVersion(group, versionId, first, bucketMillis,
            ringBuckets));
  }

  /**
   * The current version of a function and since when.
   *
   * @param versionId the current version
   * @param sinceMillis when it became current, in event time: the tenant's event time at the
   *     declaration, or the event time at which it was seen carrying the takeover share
   * @param firstSeenMillis when the current version was first seen (inferred case)
   * @param declared whether the host declared it
   * @param superseded the versions that had received evaluations when it was declared
   *     (declared case; empty otherwise)
   */
  record Current(String versionId, long sinceMillis, long firstSeenMillis, boolean declared,
      Set<String> superseded) {

    boolean supersedes(TrackedVersion v) {
      if (v.versionId().equals(versionId)) {
        return false;
      }
      // declared: the versions known at the call, whatever their event times, so a draft
      // first seen after it is never superseded even when events lag the engine clock
      return declared ? superseded.contains(v.versionId()) : v.firstSeen() < firstSeenMillis;
    }
  }

  /** The versions of one policy function, with its current version. */
  static final class FunctionState extends VersionGroup<CountedVersion> {
    volatile Current current;
    /** The last bucket judged, written by the tick thread only. */
    volatile long judgedEpoch = Long.MIN_VALUE;

    FunctionState(String module, String function) {
      super(module, function);
    }

    @Override
    protected boolean isPinned() {
      Current c = current;
      return c != null && c.declared();
    }
  }

  /** One version's evaluation counts. */
  static final class CountedVersion extends TrackedVersion {
    final BucketRing counts;

    CountedVersion(VersionGroup<?> group, String versionId, long firstSeen, long bucketMillis,
        int buckets) {
      super(group, versionId, firstSeen);
      this.counts = new BucketRing(bucketMillis, buckets, firstSeen);
    }
  }

  @Override
  public Set<String> types() {
    return Set.of(TYPE);
  }

  @Override
  public void observe(AuditEvent event, ServiceScope scope, FindingSink sink) {
    if (event.isPolicyEvaluation()) {
      evaluated(event.policyModule(), event.policyFunction(), event.versionId(),
          event.epochMillis(), scope);
    }
  }

  @Override
  public void observe(AcceptedEvents events, FindingSink sink) {
    VersionBatch<CountedVersion> batch = batches.get();
    try {
      for (int i = 0, n = events.size(); i < n; i++) {
        if (!events.isPolicyEvaluation(i)) {
          continue;
        }
        long t = events.epochMillis(i);
        TenantScope tenant = events.scope(i).tenantScope();
        String module = events.policyModule(i);
        String function = events.policyFunction(i);
        String versionId = events.versionId(i);
        VersionBatch.Entry<CountedVersion> e = batch.entry(tenant, module, function, versionId);
        if (e == null) {
          applyAll(batch);
          batch.endRound();
          e = batch.entry(tenant, module, function, versionId);
        }
        if (e.covers(t)) {
          e.gather(t);
          continue;
        }
        if (e.version != null) {
          apply(e);
        }
        if (e.version == null) {
          e = batch.resolve(e, tables.of(e.tenant()), t, applyGathered);
          if (e == null) {
            continue;
          }
        }
        // the entry now gathers the evaluations of t's bucket, applied in one add
        e.from = Math.floorDiv(t, bucketMillis) * bucketMillis;
        e.to = e.from + bucketMillis;
        e.gather(t);
      }
    } finally {
      applyAll(batch);
      batch.endRound();
    }
  }

  /** Adds what an entry gathered to its version's counts, in one add. */
  private void apply(VersionBatch.Entry<CountedVersion> e) {
    int count = e.count;
    if (count == 0) {
      return;
    }
    long newest = e.newest;
    e.reset();
    CountedVersion v = current(e, newest);
    if (v == null) {
      return;
    }
    if (v.counts.add(newest, count) == BucketRing.LATE) {
      tables.countLate(count);
      return;
    }
    v.touch(newest);
  }

  /**
   * Returns the entry's version, or, if a sweep of another thread removed it while the batch
   * gathered for it, the version tracked under its key now (created if need be), as
   * evaluations arriving one by one after the sweep would find.
   */
  private CountedVersion current(VersionBatch.Entry<CountedVersion> e, long t) {
    CountedVersion v = e.version;
    if (v.isRemoved()) {
      v = tables.of(e.tenant()).getOrCreate(e.module(), e.function(), e.versionId(), t);
      e.version = v;
      // another version, or none (the next evaluation of the key then resolves it afresh):
      // gather for it only once one of its buckets was seen open
      e.from = 0;
      e.to = 0;
    }
    return v;
  }

  private void applyAll(VersionBatch<CountedVersion> batch) {
    for (int i = 0; i < batch.size(); i++) {
      apply(batch.get(i));
    }
  }

  private void evaluated(String module, String function, String versionId, long t,
      ServiceScope scope) {
    CountedVersion v = tables.of(scope.tenantScope()).getOrCreate(module, function, versionId,
        t);
    if (v == null) {
      return;
    }
    if (v.counts.add(t) == BucketRing.LATE) {
      tables.countLate();
      return;
    }
    v.touch(t);
  }

  @Override
  public void onVersionActivated(TenantScope tenant, String policyModule, String policyFunction,
      String versionId, long atMillis) {
    // the grace period runs on event time, as the watermark it is compared with: the
    // declaration counts from the tenant's event time at the call (its newest event time moved
    // on by the engine-clock time since it was last heard; the engine clock before any event)
    long since = ScopeLookup.eventTimeNow(tenant, atMillis);
    FunctionState group;
    do {
      group = tables.of(tenant).groupOrCreate(policyModule, policyFunction);
      CountedVersion known = group.version(versionId);
      Set<String> superseded = new java.util.HashSet<>();
      for (CountedVersion v : group.versions()) {
        if (!v.versionId().equals(versionId)) {
          superseded.add(v.versionId());
        }
      }
      group.current = new Current(versionId, since,
          known == null ? since : known.firstSeen(), true, Set.copyOf(superseded));
      group.judgedEpoch = Long.MIN_VALUE;
      // the declaration pins the group; a sweep that removed it first leaves it to a new one
    } while (group.isDetached());
  }

  @Override
  public void tick(long nowMillis, FindingSink sink) {
    TickVisit visit = tickVisit;
    if (visit == null || visit.sink != sink) {
      visit = new TickVisit(sink);
      tickVisit = visit;
    }
    tables.forEachTable(visit);
  }

  /**
   * Judges every function of a tenant's table. The engine ticks with the same sink every time,
   * so one visitor serves every tick and a tick allocates nothing when nothing changed.
   */
  private final class TickVisit
      implements VersionTables.TableVisitor<FunctionState, CountedVersion> {
    final FindingSink sink;

    TickVisit(FindingSink sink) {
      this.sink = sink;
    }

    @Override
    public void visit(String tenant, VersionTable<FunctionState, CountedVersion> table,
        long watermark) {
      List<FunctionState> groups = table.groups();
      for (int i = 0; i < groups.size(); i++) {
        judge(tenant, groups.get(i), watermark, sink);
      }
    }
  }

  private void judge(String tenant, FunctionState group, long watermark, FindingSink sink) {
    long epoch = Math.floorDiv(watermark, bucketMillis);
    if (group.judgedEpoch == epoch) {
      return;
    }
    group.judgedEpoch = epoch;
    long from = epoch - windowBuckets + 1;
    List<CountedVersion> versions = group.snapshot();
    Current current = group.current;
    if (current == null || !current.declared()) {
      long total = 0;
      CountedVersion busiest = null;
      long busiestCount = 0;
      for (int i = 0; i < versions.size(); i++) {
        CountedVersion v = versions.get(i);
        long n = v.counts.sum(from, epoch);
        total += n;
        if (n > busiestCount) {
          busiest = v;
          busiestCount = n;
        }
      }
      if (busiest != null && (double) busiestCount / total >= takeoverShare
          && (current == null || !busiest.versionId().equals(current.versionId()))) {
        current = new Current(busiest.versionId(), watermark, busiest.firstSeen(), false,
            Set.of());
        group.current = current;
      }
    }
    if (current == null) {
      return;
    }
    long graceEnd = current.sinceMillis() + graceMillis;
    if (watermark < graceEnd) {
      return;
    }
    long zombieFrom = Math.max(from, Math.floorDiv(graceEnd + bucketMillis - 1, bucketMillis));
    if (zombieFrom > epoch) {
      return;
    }
    long total = 0;
    for (int i = 0; i < versions.size(); i++) {
      total += versions.get(i).counts.sum(zombieFrom, epoch);
    }
    for (int i = 0; i < versions.size(); i++) {
      CountedVersion v = versions.get(i);
      if (!current.supersedes(v)) {
        v.setHolding(false);
        continue;
      }
      long n = v.counts.sum(zombieFrom, epoch);
      if (n < minEvaluations) {
        v.setHolding(false);
        continue;
      }
      v.setHolding(true);
      sink.report(finding(tenant, v, current, n, total, zombieFrom, watermark));
    }
  }

  private Finding finding(String tenant, CountedVersion v, Current current, long n, long total,
      long fromEpoch, long watermark) {
    double share = total == 0 ? 0 : (double) n / total;
    Instant since = Instant.ofEpochMilli(current.sinceMillis());
    String how = current.declared() ? "declared current" : "took over the traffic";
    return Finding.builder(tenant, TYPE, v.subject())
        .policy(v.module(), v.function(), v.versionId())
        .severity(Severities.ofExcess(share / REFERENCE_SHARE))
        .summary(String.format(Locale.ROOT, "Superseded policy version %s still received %d"
            + " evaluations (%.1f%% of %s/%s) in the last %s; %s %s at %s", v.subject(), n,
            share * 100, v.module(), v.function(),
            Durations.human(Duration.ofMillis(watermark - fromEpoch * bucketMillis)),
            current.versionId(), how, since))
        .metric("evaluationCount", n)
        .metric("trafficShare", Formats.round(share, 4))
        .metric("functionEvaluations", total)
        .metric("activeVersionId", current.versionId())
        .metric("activeSince", since)
        .metric("activeSource", current.declared() ? "declared" : "traffic")
        .metric("lastEvaluation", Instant.ofEpochMilli(v.lastSeen()))
        .metric("windowStart", Instant.ofEpochMilli(fromEpoch * bucketMillis))
        .metric("windowEnd", Instant.ofEpochMilli(watermark))
        .action("Route the remaining callers to the current version " + current.versionId())
        .action("Find the clients, caches or pinned configurations still calling "
            + v.versionId())
        .action("Retire version " + v.versionId() + " once its traffic has stopped")
        .build();
  }

  @Override
  public Reevaluation reevaluate(Anomaly anomaly, long nowMillis) {
    VersionTables.Found<FunctionState, CountedVersion> found = tables.find(anomaly);
    if (found == null) {
      return Reevaluation.cleared("the version " + anomaly.subject() + " is no longer tracked",
          Map.of());
    }
    CountedVersion v = found.version();
    Current current = found.group().current;
    Map<String, Object> metrics = new LinkedHashMap<>();
    if (current == null || !current.supersedes(v)) {
      v.setHolding(false);
      return Reevaluation.cleared("the version " + v.versionId() + " is no longer superseded"
          + (current == null ? "" : ": the current version is " + current.versionId()), metrics);
    }
    long now = ScopeLookup.eventTimeNow(found.scope(), nowMillis);
    long epoch = Math.floorDiv(now, bucketMillis);
    long from = epoch - windowBuckets + 1;
    long n = v.counts.sum(from, epoch);
    metrics.put("evaluationCount", n);
    metrics.put("activeVersionId", current.versionId());
    metrics.put("windowStart", Instant.ofEpochMilli(from * bucketMillis));
    metrics.put("windowEnd", Instant.ofEpochMilli(now));
    if (n < minEvaluations) {
      v.setHolding(false);
      return Reevaluation.cleared(String.format(Locale.ROOT, "the superseded version received"
          + " %d evaluations in the last %s, fewer than %d", n, Durations.human(window),
          minEvaluations), metrics);
    }
    return Reevaluation.stillHolds(String.format(Locale.ROOT, "the superseded version received"
        + " %d evaluations in the last %s while %s is current", n, Durations.human(window),
        current.versionId()), metrics);
  }

  @Override
  public Map<String, Long> stats() {
    return tables.stats();
  }
}
