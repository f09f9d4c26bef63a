package io.batanomaly.detectors.flood;

import static io.batanomaly.detectors.flood.IdentifierFlood.ATTACKER;
import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.detectors.bruteforce.BruteForceSettings;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The brute-force detector's memory guarantee at small scale, fast enough for every build: a
 * crowd of one-time identifiers many times the budget neither grows the state past its budget
 * nor pushes out an identifier that has failed twice within the window. The
 * ten-million-identifier run under a 256 MB heap is {@link TenMillionIdentifierFloodTest}, in
 * the {@code long} profile.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IdentifierFloodTest {
  private static final int BUDGET = 2_000;

  private static AnomalyConfig config() {
    return AnomalyConfig.defaults().toBuilder()
        .set(BruteForceSettings.MAX_IDENTIFIERS, BUDGET).build();
  }

  /** Twelve failures: the first two 100 ms apart, then one every 4 s. */
  private static long[] burstThenSteady() {
    long[] offsets = new long[12];
    offsets[1] = 100;
    for (int i = 2; i < offsets.length; i++) {
      offsets[i] = (i - 1) * 4_000L;
    }
    return offsets;
  }

  @Test
  void anAttackerInsideAFloodFiftyTimesTheBudgetIsFoundAndTheStateStaysWithinBudget() {
    // 100,000 one-time identifiers at 400 a second: 1,600 between two attacker failures, under
    // the 90 % of the budget a first failure is always kept for
    IdentifierFlood.Result r = new IdentifierFlood(100_000, 400,
        IdentifierFlood.every(15, 4_000), config()).run(0);

    assertThat(r.accepted()).isEqualTo(100_015);
    assertThat(r.bruteForce()).singleElement()
        .satisfies(a -> assertThat(a.subject()).isEqualTo(ATTACKER));
    assertThat(r.stats().get("keysTracked")).isLessThanOrEqualTo(BUDGET);
    assertThat(r.stats().get("keysEvicted")).isPositive();
    assertThat(r.stats().get("keysEvicted") + r.stats().get("keysExpired")
        + r.stats().get("keysTracked") + r.stats().get("keysShed")).isEqualTo(100_001);
  }

  @Test
  void anIdentifierThatFailedTwiceIsNeverPushedOutEvenByAFloodEightTimesTheBudgetPerStep() {
    // 4,000 one-time identifiers a second, 16,000 between two of the attacker's later
    // failures: once its first two failures are inside the window it is protected
    IdentifierFlood.Result r = new IdentifierFlood(200_000, 4_000, burstThenSteady(), config())
        .run(0);
    assertThat(r.accepted()).isEqualTo(200_012);

    assertThat(r.bruteForce()).singleElement()
        .satisfies(a -> assertThat(a.subject()).isEqualTo(ATTACKER));
    assertThat(r.stats().get("keysTracked")).isLessThanOrEqualTo(BUDGET);
  }

  @Test
  void aFirstFailureIsKeptOnlyUntilAboutNinetyPercentOfTheBudgetOfNewerIdentifiersFailed() {
    // the documented limit: the same attacker, but 16,000 identifiers (eight budgets) fail
    // between each two of its failures, so each one is dropped as a one-time identifier
    IdentifierFlood.Result r = new IdentifierFlood(200_000, 4_000,
        IdentifierFlood.every(12, 4_000), config()).run(0);

    assertThat(r.accepted()).isEqualTo(200_012);
    assertThat(r.bruteForce()).isEmpty();
    assertThat(r.stats().get("keysTracked")).isLessThanOrEqualTo(BUDGET);
  }
}
