package io.batanomaly.detectors.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.detectors.Concurrently;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class JudgedBucketTest {

  static final class Key extends JudgedBucket {}

  @Test
  void aBucketIsClaimedOnceAndNeverAfterANewerOne() {
    Key k = new Key();
    assertThat(k.claim(5)).isTrue();
    assertThat(k.claim(5)).isFalse();
    assertThat(k.claim(4)).as("older than the newest claimed").isFalse();
    assertThat(k.claim(7)).isTrue();
    assertThat(k.claim(6)).isFalse();
  }

  @Test
  void threadsClosingTheSameBucketsTogetherJudgeEachAtMostOnceAndTheLastExactlyOnce()
      throws Exception {
    Key k = new Key();
    int threads = 8;
    int buckets = 20_000;
    ConcurrentHashMap<Long, Integer> claims = new ConcurrentHashMap<>();
    AtomicInteger total = new AtomicInteger();
    Concurrently.run(threads, id -> {
      for (long e = 0; e < buckets; e++) {
        if (k.claim(e)) {
          claims.merge(e, 1, Integer::sum);
          total.incrementAndGet();
        }
      }
    });
    assertThat(claims.values()).containsOnly(1);
    assertThat(claims).hasSize(total.get()).containsKey((long) buckets - 1);
    assertThat(k.claim(buckets - 1)).isFalse();
  }
}
