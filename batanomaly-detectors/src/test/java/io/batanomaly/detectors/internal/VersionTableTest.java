package io.batanomaly.detectors.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.detectors.Concurrently;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class VersionTableTest {

  /** A version with the default protection: while its condition holds. */
  static final class Entry extends TrackedVersion {
    Entry(VersionGroup<?> group, String versionId, long firstSeen) {
      super(group, versionId, firstSeen);
    }
  }

  private final VersionTable.Counters counters = new VersionTable.Counters();

  private VersionTable<VersionGroup<Entry>, Entry> table(int budget, long idleMillis) {
    return new VersionTable<>(budget, idleMillis, VersionGroup::new, Entry::new, counters);
  }

  @Test
  void findsAVersionByModuleFunctionAndIdAndGroupsItsSiblings() {
    VersionTable<VersionGroup<Entry>, Entry> table = table(10, 1_000);
    Entry v1 = table.getOrCreate("payments", "authorize", "v1", 100);
    Entry v2 = table.getOrCreate("payments", "authorize", "v2", 200);
    Entry other = table.getOrCreate("payments", "refund", "v1", 300);

    assertThat(table.getOrCreate("payments", "authorize", "v1", 400)).isSameAs(v1);
    assertThat(table.get("payments", "authorize", "v2")).isSameAs(v2);
    assertThat(table.get("payments", "authorize", "v3")).isNull();
    assertThat(v1.subject()).isEqualTo("payments/authorize@v1");
    assertThat(table.group("payments", "authorize").versions()).containsExactlyInAnyOrder(v1, v2);
    assertThat(table.group("payments", "authorize").previousOf(v2)).isSameAs(v1);
    assertThat(table.group("payments", "authorize").previousOf(v1)).isNull();
    assertThat(other.function()).isEqualTo("refund");
    assertThat(table.size()).isEqualTo(3);
  }

  @Test
  void touchKeepsTheNewestEventTime() {
    Entry v = table(10, 1_000).getOrCreate("m", "f", "v1", 100);
    v.touch(500);
    v.touch(300);
    assertThat(v.firstSeen()).isEqualTo(100);
    assertThat(v.lastSeen()).isEqualTo(500);
  }

  @Test
  void aFullTableEvictsTheLeastRecentlySeenAndLaterExpiresIdleVersions() {
    VersionTable<VersionGroup<Entry>, Entry> table = table(10, 1_000);
    for (int i = 0; i < 10; i++) {
      table.getOrCreate("m", "f", "v" + i, 5_000 + i);
    }
    // at 5,500 no version is idle for more than 1,000 ms: the least recently seen goes
    assertThat(table.getOrCreate("m", "f", "new", 5_500)).isNotNull();
    assertThat(table.size()).isEqualTo(10);
    assertThat(counters.evicted()).isEqualTo(1);
    assertThat(counters.expired()).isZero();
    assertThat(table.get("m", "f", "v0")).isNull();
    assertThat(table.get("m", "f", "v1")).isNotNull();

    // much later every version is idle: the next new one makes them expire
    assertThat(table.getOrCreate("m", "g", "later", 60_000)).isNotNull();
    assertThat(counters.expired()).isEqualTo(10);
    assertThat(table.size()).isEqualTo(1);
    assertThat(table.group("m", "f")).isNull();
  }

  @Test
  void aProtectedVersionIsNeverEvictedAndANewOneIsShedWhenAllAreProtected() {
    VersionTable<VersionGroup<Entry>, Entry> table = table(3, 1_000_000);
    for (int i = 0; i < 3; i++) {
      table.getOrCreate("m", "f", "v" + i, i).setHolding(true);
    }
    assertThat(table.getOrCreate("m", "f", "v3", 10)).isNull();
    assertThat(counters.shed()).isEqualTo(1);
    assertThat(table.size()).isEqualTo(3);

    table.get("m", "f", "v1").setHolding(false);
    assertThat(table.getOrCreate("m", "f", "v3", 10)).isNotNull();
    assertThat(table.get("m", "f", "v1")).isNull();
    assertThat(table.get("m", "f", "v0")).isNotNull();
    assertThat(table.get("m", "f", "v2")).isNotNull();
  }

  @Test
  void emptyGroupsAreRemovedUnlessPinned() {
    AtomicInteger pinnedChecks = new AtomicInteger();
    VersionTable<VersionGroup<Entry>, Entry> table = new VersionTable<>(2, 10,
        (m, f) -> f.equals("pinned") ? new VersionGroup<>(m, f) {
          @Override
          protected boolean isPinned() {
            pinnedChecks.incrementAndGet();
            return true;
          }
        } : new VersionGroup<>(m, f), Entry::new, counters);
    table.groupOrCreate("m", "pinned");
    table.getOrCreate("m", "f", "v1", 0);
    table.getOrCreate("m", "f", "v2", 0);
    table.sweep(1_000); // both idle: removed, and their group with them
    assertThat(table.size()).isZero();
    assertThat(table.group("m", "f")).isNull();
    assertThat(table.group("m", "pinned")).isNotNull();
    assertThat(pinnedChecks.get()).isPositive();
  }

  @Test
  void manyThreadsCreatingTheSameVersionsAgreeOnOneEntryEach() throws Exception {
    VersionTable<VersionGroup<Entry>, Entry> table = table(100_000, Long.MAX_VALUE / 4);
    int threads = 8;
    int versions = 2_000;
    Entry[][] seen = new Entry[threads][versions];
    Concurrently.run(threads, id -> {
      for (int i = 0; i < versions; i++) {
        int v = (i * 7 + id * 13) % versions;
        seen[id][v] = table.getOrCreate("m" + v % 5, "f" + v % 11, "v" + v, i);
      }
    });
    assertThat(table.size()).isEqualTo(versions);
    for (int v = 0; v < versions; v++) {
      Entry expected = table.get("m" + v % 5, "f" + v % 11, "v" + v);
      assertThat(expected).isNotNull();
      for (int t = 0; t < threads; t++) {
        assertThat(seen[t][v]).isSameAs(expected);
      }
    }
  }

  @Test
  void concurrentCreationUnderAFullBudgetKeepsTheBudgetExactlyAndCountsEveryRemoval()
      throws Exception {
    int budget = 200;
    VersionTable<VersionGroup<Entry>, Entry> table = table(budget, Long.MAX_VALUE / 4);
    int threads = 8;
    int perThread = 5_000;
    AtomicInteger tracked = new AtomicInteger();
    Concurrently.run(threads, id -> {
      for (int i = 0; i < perThread; i++) {
        if (table.getOrCreate("m", "f" + i % 3, "t" + id + "-" + i, i) != null) {
          tracked.incrementAndGet();
        }
      }
    });
    // every new version was tracked (nothing is protected), the budget held exactly, and every
    // version created is either still tracked or counted as removed
    assertThat(tracked.get()).isEqualTo(threads * perThread);
    assertThat(counters.shed()).isZero();
    assertThat(table.size()).isLessThanOrEqualTo(budget);
    assertThat(table.size() + counters.evicted() + counters.expired())
        .isEqualTo((long) threads * perThread);
  }

  @Test
  void theIndexAgreesWithTheMapsAfterConcurrentLookUpsCreationsAndEvictions() throws Exception {
    int budget = 40;
    VersionTable<VersionGroup<Entry>, Entry> table = table(budget, Long.MAX_VALUE / 4);
    int threads = 8;
    int keys = 120;
    int perThread = 20_000;
    Concurrently.run(threads, id -> {
      java.util.Random random = new java.util.Random(id);
      for (int i = 0; i < perThread; i++) {
        int k = random.nextInt(keys);
        String module = "m" + k % 4;
        String function = "f" + k % 3;
        // fresh strings, as a host's deserializer gives: found by equality, not identity
        String versionId = new String("v" + k);
        Entry v = random.nextBoolean() ? table.get(module, function, versionId)
            : table.getOrCreate(module, function, versionId, i);
        if (v != null) {
          v.touch(i);
        }
      }
    });
    // whatever was indexed and evicted meanwhile, every key now gives what the maps hold, and
    // never a version that was removed
    int tracked = 0;
    for (int k = 0; k < keys; k++) {
      String module = "m" + k % 4;
      String function = "f" + k % 3;
      String versionId = "v" + k;
      VersionGroup<Entry> group = table.group(module, function);
      Entry inMaps = group == null ? null : group.version(versionId);
      Entry found = table.get(module, function, versionId);
      assertThat(found).isSameAs(inMaps);
      if (found != null) {
        assertThat(found.isRemoved()).isFalse();
        assertThat(table.get(module, function, versionId)).isSameAs(found);
        tracked++;
      }
    }
    assertThat(tracked).isPositive().isLessThanOrEqualTo(budget);
    assertThat(counters.evicted()).isPositive();
  }

  /** A group whose pin the test sets, as a host's declaration does. */
  static class Pinnable extends VersionGroup<Entry> {
    volatile boolean pinned;

    Pinnable(String module, String function) {
      super(module, function);
    }

    @Override
    protected boolean isPinned() {
      return pinned;
    }
  }

  /** Counts the versions reached by walking the maps, checking each is live and found. */
  private static <G extends VersionGroup<Entry>> int reachable(VersionTable<G, Entry> table,
      List<String> modules, List<String> functions) {
    int n = 0;
    for (String m : modules) {
      for (String f : functions) {
        G group = table.group(m, f);
        if (group == null) {
          continue;
        }
        assertThat(group.isDetached()).as("%s/%s is in the maps", m, f).isFalse();
        for (Entry v : group.versions()) {
          assertThat(v.isRemoved()).isFalse();
          assertThat(table.get(m, f, v.versionId())).isSameAs(v);
          n++;
        }
      }
    }
    int inSnapshot = 0;
    for (G group : table.groups()) {
      inSnapshot += group.versions().size();
    }
    assertThat(inSnapshot).isEqualTo(n);
    return n;
  }

  @Test
  void aVersionCreatedWhileTheSweepRemovesItsEmptyGroupStaysReachable() {
    VersionTable<VersionGroup<Entry>, Entry> table = table(10, 10);
    table.getOrCreate("m", "f", "v1", 0);
    Entry[] created = new Entry[1];
    table.beforeRemoval = (m, f) -> {
      if ("f".equals(f) && created[0] == null) {
        created[0] = table.getOrCreate("m", "f", "v2", 1_000);
      }
    };
    table.sweep(1_000); // v1 is idle: it goes, and its group is removed while v2 is created

    assertThat(created[0]).isNotNull();
    assertThat(table.size()).isEqualTo(1);
    assertThat(table.get("m", "f", "v2")).isSameAs(created[0]);
    assertThat(table.group("m", "f").version("v2")).isSameAs(created[0]);
    assertThat(reachable(table, List.of("m"), List.of("f"))).isEqualTo(1);
    // a later sweep still sees it: it expires and gives its place back
    table.sweep(2_000);
    assertThat(table.size()).isZero();
    assertThat(counters.expired()).isEqualTo(2);
  }

  @Test
  void aVersionCreatedWhileTheSweepRemovesItsEmptyModuleStaysReachable() {
    VersionTable<VersionGroup<Entry>, Entry> table = table(10, 10);
    table.getOrCreate("m", "f", "v1", 0);
    Entry[] created = new Entry[1];
    table.beforeRemoval = (m, f) -> {
      if (f == null && created[0] == null) {
        created[0] = table.getOrCreate("m", "g", "v2", 1_000);
      }
    };
    table.sweep(1_000); // the module is left empty and is removed while m/g@v2 is created

    assertThat(created[0]).isNotNull();
    assertThat(table.size()).isEqualTo(1);
    assertThat(table.get("m", "g", "v2")).isSameAs(created[0]);
    assertThat(table.group("m", "g").version("v2")).isSameAs(created[0]);
    assertThat(reachable(table, List.of("m"), List.of("f", "g"))).isEqualTo(1);
  }

  @Test
  void aGroupPinnedWhileTheSweepRemovesItIsKept() {
    AtomicInteger checks = new AtomicInteger();
    VersionTable<Pinnable, Entry> table = new VersionTable<>(10, 10, (m, f) -> new Pinnable(m, f) {
      @Override
      protected boolean isPinned() {
        // unpinned when the sweep first looks, pinned by another thread right after
        if (checks.incrementAndGet() > 1) {
          pinned = true;
        }
        return super.isPinned();
      }
    }, Entry::new, counters);
    table.getOrCreate("m", "f", "v1", 0);
    Pinnable group = table.group("m", "f");
    table.sweep(1_000);

    assertThat(table.group("m", "f")).isSameAs(group);
    assertThat(group.isDetached()).isFalse();
    assertThat(group.pinned).isTrue();
  }

  @Test
  void aGroupTheSweepRemovedSaysSoAndGroupOrCreateGivesANewOne() {
    VersionTable<Pinnable, Entry> table = new VersionTable<>(10, 10, Pinnable::new,
        Entry::new, counters);
    Pinnable old = table.groupOrCreate("m", "f");
    table.sweep(0);
    assertThat(old.isDetached()).isTrue();
    assertThat(table.group("m", "f")).isNull();

    Pinnable fresh = table.groupOrCreate("m", "f");
    assertThat(fresh).isNotSameAs(old);
    fresh.pinned = true;
    assertThat(fresh.isDetached()).isFalse();
    table.sweep(0);
    assertThat(table.group("m", "f")).isSameAs(fresh);
  }

  @Test
  void everyPlaceReservedIsReachableAfterConcurrentCreationAndSweepingUnderATinyBudget()
      throws Exception {
    List<String> modules = List.of("m0", "m1");
    List<String> functions = List.of("f0", "f1");
    for (int round = 0; round < 20; round++) {
      int budget = 3;
      VersionTable<VersionGroup<Entry>, Entry> table = table(budget, 4);
      int threads = 6;
      int perThread = 4_000;
      Concurrently.run(threads, id -> {
        java.util.Random random = new java.util.Random(id * 31L + 7);
        for (int i = 0; i < perThread; i++) {
          // few versions per group and a short idle time: groups and modules empty out and
          // are removed all the time while other threads create versions in them
          String m = modules.get(random.nextInt(modules.size()));
          String f = functions.get(random.nextInt(functions.size()));
          // null when every place was reserved by creations not yet in the maps
          Entry v = table.getOrCreate(m, f, "v" + random.nextInt(3), i);
          if (v != null) {
            v.touch(i);
          }
          if (random.nextInt(8) == 0) {
            table.sweep(i + random.nextInt(10));
          }
        }
      });
      assertThat(table.size()).isLessThanOrEqualTo(budget);
      assertThat(reachable(table, modules, functions)).as("round %d", round)
          .isEqualTo(table.size());
      // and a sweep far in the future finds every one of them
      table.sweep(Long.MAX_VALUE / 2);
      assertThat(table.size()).isZero();
      assertThat(reachable(table, modules, functions)).isZero();
    }
  }

  @Test
  void everyGroupPinnedWhileOthersCreateAndSweepStaysInTheTable() throws Exception {
    for (int round = 0; round < 10; round++) {
      VersionTable<Pinnable, Entry> table = new VersionTable<>(2, 2, Pinnable::new, Entry::new,
          counters);
      int functions = 64;
      int threads = 4;
      Concurrently.run(threads, id -> {
        java.util.Random random = new java.util.Random(id * 17L + 3);
        for (int i = 0; i < 4_000; i++) {
          String f = "f" + random.nextInt(functions);
          if (id == 0 && i < functions) {
            // pin the way a declaration does: set the pin, then make sure the group is still
            // the table's; a group the sweep took out first is left for a new one
            Pinnable group;
            do {
              group = table.groupOrCreate("m", "f" + i);
              group.pinned = true;
            } while (group.isDetached());
          } else if (random.nextBoolean()) {
            table.getOrCreate("m", f, "v" + random.nextInt(2), i);
          } else {
            table.sweep(i + 100);
          }
        }
      });
      table.sweep(Long.MAX_VALUE / 2);
      for (int i = 0; i < functions; i++) {
        Pinnable group = table.group("m", "f" + i);
        assertThat(group).as("round %d, f%d", round, i).isNotNull();
        assertThat(group.pinned).isTrue();
        assertThat(group.isDetached()).isFalse();
      }
      assertThat(table.size()).isZero();
    }
  }
}
