package io.batanomaly.examples.server;

import io.batanomaly.AuditEvent;
import io.batanomaly.Outcome;
import io.batanomaly.examples.demo.DemoScenario;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * The example server's event stream: the demo's {@link DemoScenario} plus the incident the HTTP
 * documentation uses as its example, so its {@code curl} commands find something for
 * {@code acme-corp}: from {@link #FAILURE_START} to {@link #FAILURE_END}, acme-corp's
 * {@code payments/authorize} policy version {@code v7} fails 34% of its evaluations instead of
 * its usual 2%.
 */
public final class ServerStream {

  /** The tenant of the documentation's examples. */
  public static final String TENANT = "acme-corp";

  /** The failing policy version of the incident. */
  public static final String VERSION = "v7";

  /** When acme-corp's payments/authorize v7 starts failing. */
  public static final Instant FAILURE_START =
      DemoScenario.START.plus(Duration.ofMinutes(50));

  /** When it recovers. */
  public static final Instant FAILURE_END = FAILURE_START.plus(Duration.ofMinutes(30));

  private static final double RATE_PER_SECOND = 4.0;
  private static final double BASELINE_FAILURE = 0.02;
  private static final double INCIDENT_FAILURE = 0.34;

  private ServerStream() {}

  /**
   * Returns the stream, in event-time order, from {@link DemoScenario#START} up to (excluded)
   * {@code until}.
   *
   * @param until where to stop, at most the scenario's end
   * @return a new iterator
   */
  public static Iterator<AuditEvent> events(Instant until) {
    return merge(DemoScenario.standard().events(), new Payments(until.toEpochMilli()),
        until.toEpochMilli());
  }

  private static Iterator<AuditEvent> merge(Iterator<AuditEvent> a, Iterator<AuditEvent> b,
      long untilMillis) {
    return new Iterator<>() {
      private AuditEvent nextA = a.hasNext() ? a.next() : null;
      private AuditEvent nextB = b.hasNext() ? b.next() : null;

      private AuditEvent peek() {
        if (nextA == null) {
          return nextB;
        }
        if (nextB == null) {
          return nextA;
        }
        return nextA.epochMillis() <= nextB.epochMillis() ? nextA : nextB;
      }

      @Override
      public boolean hasNext() {
        AuditEvent e = peek();
        return e != null && e.epochMillis() < untilMillis;
      }

      @Override
      public AuditEvent next() {
        if (!hasNext()) {
          throw new NoSuchElementException("the stream has no more events");
        }
        AuditEvent e = peek();
        if (e == nextA) {
          nextA = a.hasNext() ? a.next() : null;
        } else {
          nextB = b.hasNext() ? b.next() : null;
        }
        return e;
      }
    };
  }

  /** acme-corp's payments/authorize v7 evaluations, Poisson, one simulated second at a time. */
  private static final class Payments implements Iterator<AuditEvent> {
    private final SplittableRandom random = new SplittableRandom(7L);
    private final long untilMillis;
    private final List<AuditEvent> second = new ArrayList<>();
    private long secondStart = DemoScenario.START.toEpochMilli();
    private int index;

    Payments(long untilMillis) {
      this.untilMillis = untilMillis;
    }

    @Override
    public boolean hasNext() {
      while (index >= second.size()) {
        if (secondStart >= untilMillis) {
          return false;
        }
        second.clear();
        index = 0;
        boolean incident = secondStart >= FAILURE_START.toEpochMilli()
            && secondStart < FAILURE_END.toEpochMilli();
        double failure = incident ? INCIDENT_FAILURE : BASELINE_FAILURE;
        int n = poisson(RATE_PER_SECOND);
        List<Long> times = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          times.add(secondStart + random.nextInt(1000));
        }
        times.sort(null);
        for (long t : times) {
          boolean failed = random.nextDouble() < failure;
          second.add(AuditEvent.builder().tenant(TENANT).service("policy-engine")
              .epochMillis(t).eventType("policy.evaluation").identifier("checkout")
              .policyModule("payments").policyFunction("authorize").versionId(VERSION)
              .outcome(failed ? Outcome.FAILURE : Outcome.SUCCESS)
              .executionTimeMillis(3.0 + random.nextDouble() * 4.0)
              .build());
        }
        secondStart += 1000;
      }
      return true;
    }

    private int poisson(double lambda) {
      double l = Math.exp(-lambda);
      int k = 0;
      double p = 1;
      do {
        k++;
        p *= random.nextDouble();
      } while (p > l);
      return k - 1;
    }

    @Override
    public AuditEvent next() {
      if (!hasNext()) {
        throw new NoSuchElementException("the stream has no more events");
      }
      return second.get(index++);
    }
  }
}
