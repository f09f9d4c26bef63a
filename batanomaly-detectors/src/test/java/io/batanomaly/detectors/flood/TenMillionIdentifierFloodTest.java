package io.batanomaly.detectors.flood;

import static io.batanomaly.detectors.flood.IdentifierFlood.ATTACKER;
import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.AnomalyConfig;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Ten million unique identifiers each failing once (401), with a real attacker failing 15 times
 * in 56 s in the middle of them, on the default settings (100,000 identifiers per tenant).
 * Runs in the {@code long} Maven profile, in its own JVM with {@code -Xmx256m}:
 * {@code mvn -B verify -Plong -pl batanomaly-detectors -am}.
 */
class TenMillionIdentifierFloodTest {
  private static final long MB = 1024 * 1024;

  @Test
  @Timeout(value = 30, unit = TimeUnit.MINUTES)
  void tenMillionOneTimeIdentifiersNeitherExhaustA256MbHeapNorHideTheAttacker() {
    long maxHeap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
    assertThat(maxHeap).as("runs with -Xmx256m").isLessThanOrEqualTo(256 * MB);

    // 10,000 new identifiers a second for 1,000 s: 40,000 between two attacker failures
    IdentifierFlood.Result r = new IdentifierFlood(10_000_000, 10_000,
        IdentifierFlood.every(15, 4_000), AnomalyConfig.defaults()).run(20);

    System.out.printf("identifier flood: %,d events in %,d ms, max heap after GC %,d MB,"
            + " brute-force stats %s%n", r.accepted(), r.millis(), r.maxHeapAfterGc() / MB,
        r.stats());
    assertThat(r.accepted()).isEqualTo(10_000_015);
    assertThat(r.bruteForce()).singleElement()
        .satisfies(a -> assertThat(a.subject()).isEqualTo(ATTACKER));
    assertThat(r.stats().get("keysTracked")).isLessThanOrEqualTo(100_000);
    assertThat(r.stats().get("keysEvicted")).isPositive();
    assertThat(r.stats().get("keysEvicted") + r.stats().get("keysExpired")
        + r.stats().get("keysTracked") + r.stats().get("keysShed")).isEqualTo(10_000_001);
    assertThat(r.maxHeapAfterGc()).isLessThan(64 * MB);
  }
}
