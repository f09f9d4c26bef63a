package io.batanomaly.detectors.errorrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.detectors.Concurrently;
import io.batanomaly.window.BucketRing;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class ResponseWindowTest {

  private static final long BASE = 1_700_000_000_000L;

  private static ResponseWindow window(long bucketMillis, int windowBuckets, long lateness) {
    int slots = BucketRing.bucketsFor(windowBuckets * bucketMillis, lateness, bucketMillis);
    return new ResponseWindow(new BucketRing(bucketMillis, slots, BASE),
        new BucketRing(bucketMillis, slots, BASE));
  }

  /** Judges the bucket before a newly opened one as the detector does; returns whether it did. */
  private static boolean judge(ResponseWindow w, long at, int windowBuckets) {
    long epoch = w.all.epoch(at);
    w.opened(epoch);
    long closed = epoch - 1;
    if (!w.claim(closed) || !w.carry(closed, windowBuckets)) {
      return false;
    }
    try {
      long first = closed - windowBuckets + 1;
      assertThat(w.total()).as("responses up to bucket %d", closed)
          .isEqualTo(w.all.sum(first, closed));
      assertThat(w.errorCount()).as("errors up to bucket %d", closed)
          .isEqualTo(w.errors.sum(first, closed));
    } finally {
      w.release();
    }
    return true;
  }

  @Test
  void carriedSumsEqualFreshReadsWhateverTheLateEventsAndPauses() {
    for (long seed = 0; seed < 10; seed++) {
      SplittableRandom rnd = new SplittableRandom(seed);
      long bucket = seed % 2 == 0 ? 5_000 : 1_000;
      int windowBuckets = 60;
      ResponseWindow w = window(bucket, windowBuckets, 10_000);
      long t = BASE;
      int judged = 0;
      for (int i = 0; i < 60_000; i++) {
        int kind = rnd.nextInt(1_000);
        long at = kind < 2 ? (t += rnd.nextLong(0, 5 * bucket))
            : kind < 22 ? t - rnd.nextLong(0, rnd.nextInt(10) == 0 ? 20_000 : 3 * bucket)
            : (t += rnd.nextLong(0, bucket / 20));
        int count = 1 + rnd.nextInt(5);
        int errors = rnd.nextInt(4) == 0 ? rnd.nextInt(count + 1) : 0;
        if (w.add(at, count, errors) == BucketRing.OPENED && judge(w, at, windowBuckets)) {
          judged++;
        }
      }
      assertThat(judged).isGreaterThan(100);
      assertThat(w.carried).as("judges that carried the sums").isGreaterThan(judged / 4);
    }
  }

  @Test
  void noCountIsLostWhenThreadsAddLateEventsWhileOthersJudge() throws Exception {
    ResponseWindow w = window(1_000, 60, 10_000);
    AtomicLong clock = new AtomicLong(BASE);
    Concurrently.run(4, id -> {
      SplittableRandom rnd = new SplittableRandom(id);
      for (int i = 0; i < 200_000; i++) {
        long now = id == 0 && i % 50 == 0 ? clock.addAndGet(rnd.nextLong(0, 200)) : clock.get();
        long at = rnd.nextInt(10) == 0 ? now - rnd.nextLong(0, 8_000) : now;
        int count = 1 + rnd.nextInt(3);
        if (w.add(at, count, rnd.nextInt(count + 1)) == BucketRing.OPENED) {
          long epoch = w.all.epoch(at);
          w.opened(epoch);
          if (w.claim(epoch - 1) && w.carry(epoch - 1, 60)) {
            w.release();
          }
        }
      }
    });
    // once the threads are done, the next judges see every count
    long t = clock.get();
    for (int s = 1; s <= 3; s++) {
      long at = (Math.floorDiv(t, 1000) + s) * 1000;
      assertThat(w.add(at, 1, 0)).isEqualTo(BucketRing.OPENED);
      assertThat(judge(w, at, 60)).isTrue();
    }
  }
}
