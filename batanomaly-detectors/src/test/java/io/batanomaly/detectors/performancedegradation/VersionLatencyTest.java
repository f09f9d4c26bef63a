package io.batanomaly.detectors.performancedegradation;

import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.detectors.internal.VersionGroup;
import org.junit.jupiter.api.Test;

class VersionLatencyTest {

  @Test
  void withoutTicksTheWindowsPushedOutOfTheRingDoNotPileUp() {
    // Regression: every window pushed out of the ring before a tick judged it was queued for
    // the tick; a host that never ticks kept them all, some 21 KB each.
    VersionLatency v = new VersionLatency(new VersionGroup<>("payments", "authorize"), "v1", 0);
    for (long epoch = 0; epoch < 200; epoch++) {
      assertThat(v.record(epoch, 5_000)).isTrue();
    }
    assertThat(v.displaced).hasSizeLessThanOrEqualTo(VersionLatency.MAX_DISPLACED);
    // the newest displaced windows are the ones kept
    assertThat(v.displaced).allSatisfy(s -> assertThat(s.epoch).isGreaterThanOrEqualTo(
        200 - VersionLatency.SLOTS - VersionLatency.MAX_DISPLACED));
  }
}
