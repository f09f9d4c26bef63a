package io.batanomaly.testkit;

import io.batanomaly.AuditEvent;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.Severity;
import io.batanomaly.spi.Detector;
import io.batanomaly.spi.DetectorContext;
import io.batanomaly.spi.DetectorProvider;
import io.batanomaly.spi.Finding;
import io.batanomaly.spi.FindingSink;
import io.batanomaly.spi.Reevaluation;
import io.batanomaly.spi.ServiceScope;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A detector whose findings and verification verdicts the test decides. It ignores events:
 * findings given to {@link #fire} and clears given to {@link #clear} are reported on the
 * engine's next tick, and {@link #reevaluate} answers with the current {@link Verdict}.
 *
 * <p>Register it explicitly ({@code builder.detector(detector.provider())} with
 * {@code discoverDetectors(false)}); it is deliberately not listed for {@code ServiceLoader}.
 * Thread-safe.
 */
public final class ScriptedDetector implements Detector {

  /** The anomaly type the detector reports unless told otherwise. */
  public static final String TYPE = "VOLUME_SPIKE";

  /** How a verification's re-evaluation answers. */
  @FunctionalInterface
  public interface Verdict {
    /**
     * Answers a re-evaluation.
     *
     * @param anomaly the anomaly being verified
     * @return the verdict
     */
    Reevaluation apply(Anomaly anomaly);
  }

  private final String name;
  private final Set<String> types;
  private final ConcurrentLinkedQueue<Consumer<FindingSink>> script =
      new ConcurrentLinkedQueue<>();
  private final AtomicInteger reevaluations = new AtomicInteger();
  private volatile Verdict verdict = holding();

  private ScriptedDetector(String name, Set<String> types) {
    this.name = name;
    this.types = Set.copyOf(types);
  }

  /**
   * Creates a detector named {@code scripted} reporting {@link #TYPE}.
   *
   * @return the detector
   */
  public static ScriptedDetector create() {
    return new ScriptedDetector("scripted", Set.of(TYPE));
  }

  /**
   * Creates a detector reporting the given types.
   *
   * @param name the provider name
   * @param types the anomaly types
   * @return the detector
   */
  public static ScriptedDetector reporting(String name, String... types) {
    return new ScriptedDetector(name, Set.of(types));
  }

  /**
   * Returns a provider that hands this very detector to the engine, so the test keeps control.
   *
   * @return the provider
   */
  public DetectorProvider provider() {
    ScriptedDetector self = this;
    return new DetectorProvider() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Detector create(DetectorContext context) {
        return self;
      }
    };
  }

  /**
   * Starts a finding of {@link #TYPE} with the defaults the triage tests use.
   *
   * @param tenant the tenant
   * @param subject the subject
   * @return a builder with severity MEDIUM, a summary, one metric and one action
   */
  public static Finding.Builder finding(String tenant, String subject) {
    return finding(tenant, TYPE, subject);
  }

  /**
   * Starts a finding with the defaults the triage tests use.
   *
   * @param tenant the tenant
   * @param type the anomaly type
   * @param subject the subject
   * @return a builder with severity MEDIUM, a summary, one metric and one action
   */
  public static Finding.Builder finding(String tenant, String type, String subject) {
    return Finding.builder(tenant, type, subject)
        .service(subject)
        .severity(Severity.MEDIUM)
        .summary(type + " on " + subject)
        .metric("count", 42)
        .action("Look at " + subject);
  }

  /**
   * Queues a finding for the next tick.
   *
   * @param finding the finding
   */
  public void fire(Finding finding) {
    Objects.requireNonNull(finding, "finding");
    script.add(sink -> sink.report(finding));
  }

  /**
   * Queues the end of a condition for the next tick.
   *
   * @param tenant the tenant
   * @param type the anomaly type
   * @param subject the subject
   * @param reason the reason recorded in the history
   */
  public void clear(String tenant, String type, String subject, String reason) {
    script.add(sink -> sink.clear(tenant, type, subject, reason));
  }

  /**
   * Sets how re-evaluations answer from now on.
   *
   * @param verdict the verdict
   */
  public void answer(Verdict verdict) {
    this.verdict = Objects.requireNonNull(verdict, "verdict");
  }

  /** @return how many re-evaluations have started */
  public int reevaluations() {
    return reevaluations.get();
  }

  @Override
  public Set<String> types() {
    return types;
  }

  @Override
  public void observe(AuditEvent event, ServiceScope scope, FindingSink sink) {
    // findings come from the script only
  }

  @Override
  public void tick(long nowMillis, FindingSink sink) {
    Consumer<FindingSink> step;
    while ((step = script.poll()) != null) {
      step.accept(sink);
    }
  }

  @Override
  public Reevaluation reevaluate(Anomaly anomaly, long nowMillis) {
    reevaluations.incrementAndGet();
    return verdict.apply(anomaly);
  }

  /** @return a verdict that the condition still holds, with a {@code count} metric */
  public static Verdict holding() {
    return a -> Reevaluation.stillHolds("42 events in the window", Map.of("count", 42));
  }

  /** @return a verdict that the condition has cleared, with a {@code count} metric */
  public static Verdict clearing() {
    return a -> Reevaluation.cleared("0 events in the window", Map.of("count", 0));
  }

  /**
   * Returns a verdict that throws.
   *
   * @param failure what to throw
   * @return the verdict
   */
  public static Verdict throwing(RuntimeException failure) {
    return a -> {
      throw failure;
    };
  }

  /**
   * Returns a verdict that hangs: it counts {@code entered} down, then waits for
   * {@code release} (at most {@code limit}, so a failed test leaks no thread for long) and
   * answers {@code then}.
   *
   * @param entered counted down when the re-evaluation starts
   * @param release what the re-evaluation waits for
   * @param limit the longest wait
   * @param then the verdict given once released
   * @return the verdict
   */
  public static Verdict hanging(CountDownLatch entered, CountDownLatch release, Duration limit,
      Verdict then) {
    return a -> {
      entered.countDown();
      try {
        release.await(limit.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return then.apply(a);
    };
  }

  /**
   * Returns a verdict decided per call.
   *
   * @param f the function
   * @return the verdict
   */
  public static Verdict of(Function<Anomaly, Reevaluation> f) {
    return f::apply;
  }
}
