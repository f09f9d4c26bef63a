package io.batanomaly.detectors.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.spi.ServiceScope;
import io.batanomaly.testkit.ServiceBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ServiceRunsTest {

  /** A run as the test model cuts it. */
  record Run(ServiceScope scope, long bucketStart, int events, int errors) {}

  @Test
  void cutsEachServicesEventsIntoRunsPerBucketInTheOrderTheyClose() {
    ServiceBatch b = new ServiceBatch(3);
    b.add(0, 1_000, 200).add(1, 1_500, 500).add(0, 1_999, 404).add(0, 2_000, 200)
        .add(1, 1_200, 200).add(0, 1_100, 503).add(2, 5_000, 0).add(0, 2_500, 200);
    ServiceRuns runs = ServiceRuns.get(b);
    try {
      runs.cutResponses(b, 1_000);
      assertThat(runsOf(runs)).containsExactly(
          new Run(b.scopes[0], 1_000, 2, 1),
          new Run(b.scopes[0], 2_000, 1, 0),
          new Run(b.scopes[0], 1_000, 1, 1),
          // then the runs still open, by service index; service 2 sent no response
          new Run(b.scopes[0], 2_000, 1, 0),
          new Run(b.scopes[1], 1_000, 2, 1));
    } finally {
      runs.release();
    }
  }

  @Test
  void cutsTheSameRunsAsCountingEventByEventWhateverTheTimesAndWidth() {
    SplittableRandom rnd = new SplittableRandom(5);
    for (int round = 0; round < 300; round++) {
      int services = 1 + rnd.nextInt(40);
      long width = 1 + rnd.nextLong(rnd.nextBoolean() ? 10 : 100_000);
      ServiceBatch b = new ServiceBatch(services);
      long t = rnd.nextLong(-5_000_000L, 5_000_000L);
      for (int i = 0, n = rnd.nextInt(1, 2_000); i < n; i++) {
        int kind = rnd.nextInt(100);
        long at = kind < 85 ? (t += rnd.nextLong(0, 1 + width / 4))
            : kind < 97 ? t - rnd.nextLong(0, 3 * width) : t + rnd.nextLong(-50 * width, 50 * width);
        b.add(rnd.nextInt(services), at, rnd.nextInt(4) == 0 ? 0 : 200 + 100 * rnd.nextInt(5));
      }
      ServiceRuns runs = ServiceRuns.get(b);
      try {
        runs.cutAll(b, width);
        assertThat(runsOf(runs)).as("all events, width %d", width)
            .containsExactlyElementsOf(model(b, width, false));
      } finally {
        runs.release();
      }
      runs = ServiceRuns.get(b);
      try {
        runs.cutResponses(b, width);
        assertThat(runsOf(runs)).as("responses, width %d", width)
            .containsExactlyElementsOf(model(b, width, true));
      } finally {
        runs.release();
      }
    }
  }

  @Test
  void aNestedUseOnTheSameThreadGetsItsOwnRuns() {
    ServiceBatch outer = new ServiceBatch(1);
    outer.add(0, 1_000, 200);
    ServiceBatch inner = new ServiceBatch(2);
    inner.add(1, 7_000, 200);
    ServiceRuns a = ServiceRuns.get(outer);
    try {
      a.cutAll(outer, 1_000);
      ServiceRuns b = ServiceRuns.get(inner);
      try {
        b.cutAll(inner, 1_000);
        assertThat(runsOf(b)).containsExactly(new Run(inner.scopes[1], 7_000, 1, 0));
      } finally {
        b.release();
      }
      assertThat(runsOf(a)).containsExactly(new Run(outer.scopes[0], 1_000, 1, 0));
    } finally {
      a.release();
    }
  }

  private static List<Run> runsOf(ServiceRuns runs) {
    List<Run> out = new ArrayList<>();
    for (int r = 0; r < runs.size(); r++) {
      out.add(new Run(runs.scope(r), runs.bucketStart(r), runs.events(r), runs.errors(r)));
    }
    return out;
  }

  /**
   * The runs as counting event by event makes them: a run closes when its service's next event
   * falls in another bucket; the runs open at the end follow, by service index.
   */
  private static List<Run> model(ServiceBatch b, long width, boolean responsesOnly) {
    List<Run> out = new ArrayList<>();
    long[] start = new long[b.services];
    int[] count = new int[b.services];
    int[] errors = new int[b.services];
    for (int i = 0; i < b.size(); i++) {
      int status = b.status(i);
      if (responsesOnly && status == 0) {
        continue;
      }
      boolean error = responsesOnly && status >= 400 && status <= 599;
      int k = b.serviceIndex(i);
      long bucket = Math.floorDiv(b.epochMillis(i), width) * width;
      if (count[k] != 0 && start[k] != bucket) {
        out.add(new Run(b.scopes[k], start[k], count[k], errors[k]));
        count[k] = 0;
        errors[k] = 0;
      }
      start[k] = bucket;
      count[k]++;
      errors[k] += error ? 1 : 0;
    }
    for (int k = 0; k < b.services; k++) {
      if (count[k] != 0) {
        out.add(new Run(b.scopes[k], start[k], count[k], errors[k]));
      }
    }
    return out;
  }
}
