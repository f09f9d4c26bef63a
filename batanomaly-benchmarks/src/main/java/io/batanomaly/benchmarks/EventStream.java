package io.batanomaly.benchmarks;

import io.batanomaly.AuditEvent;
import io.batanomaly.Outcome;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded, pre-generated stream of audit events for one tenant, cut into batches, so that
 * benchmarks measure ingesting events and never generating them.
 *
 * <p>The shape follows a busy multi-service deployment:
 *
 * <ul>
 *   <li>{@value #SERVICES} services whose traffic is Zipf-skewed (exponent 1.0: the busiest
 *       service sends about 17% of the events);
 *   <li>{@value #IDENTIFIERS} distinct identifiers (users, API clients, IPs), Zipf-skewed with
 *       exponent 0.7;
 *   <li>methods: 70% GET, 18% POST, 7% PUT, about 5% PATCH and 0.02% DELETE;
 *   <li>statuses: 1% 401 (nine in ten from an identifier drawn uniformly, one in ten from one
 *       of five persistent attackers), 0.5% 403, 2% 404, 0.5% 500, 0.2% 503, the rest 2xx;
 *   <li>event time advancing at {@value #EVENTS_PER_SECOND} events per second, 2% of events up
 *       to 2 s out of order.
 * </ul>
 *
 * <p>The same seed always gives the same stream. Strings are shared between events (as a
 * deserializer with interning would), so the stream's footprint is about 80 bytes per event.
 */
public final class EventStream {

  /** Number of services. */
  public static final int SERVICES = 200;
  /** Number of distinct identifiers. */
  public static final int IDENTIFIERS = 100_000;
  /** Events per batch. */
  public static final int BATCH = 1_000;
  /** Event-time rate of the stream. */
  public static final int EVENTS_PER_SECOND = 5_000;
  /**
   * Number of batches the benchmarks replay: the system property
   * {@code batanomaly.bench.batches}, by default 1,000 (one million events, 200 s of event time,
   * about 80 MB: more than the last-level cache, as a live stream is).
   */
  public static final int DEFAULT_BATCHES = Integer.getInteger("batanomaly.bench.batches", 1_000);
  /** Event time of the first event: 2026-11-21T00:00:00Z. */
  public static final long START_MILLIS = 1_795_219_200_000L;

  private static final String[] SERVICE_NAMES = names("svc-", SERVICES);
  private static final String[] IDENTIFIER_NAMES = identifierNames();
  private static final double[] SERVICE_CDF = zipfCdf(SERVICES, 1.0);
  private static final double[] IDENTIFIER_CDF = zipfCdf(IDENTIFIERS, 0.7);

  private final String tenant;
  private final AuditEvent[][] batches;
  private final List<AuditEvent>[] views;
  private final long spanMillis;

  private EventStream(String tenant, AuditEvent[][] batches, long spanMillis) {
    this.tenant = tenant;
    this.batches = batches;
    this.spanMillis = spanMillis;
    @SuppressWarnings("unchecked")
    List<AuditEvent>[] v = new List[batches.length];
    for (int i = 0; i < batches.length; i++) {
      v[i] = Arrays.asList(batches[i]);
    }
    this.views = v;
  }

  /**
   * Generates a stream.
   *
   * @param tenant the tenant of every event
   * @param batchCount how many batches of {@value #BATCH} events
   * @param seed the random seed
   * @return the stream
   */
  public static EventStream generate(String tenant, int batchCount, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    AuditEvent[][] batches = new AuditEvent[batchCount][BATCH];
    long events = (long) batchCount * BATCH;
    for (int b = 0; b < batchCount; b++) {
      for (int i = 0; i < BATCH; i++) {
        long n = (long) b * BATCH + i;
        long t = START_MILLIS + n * 1000 / EVENTS_PER_SECOND;
        if (rnd.nextInt(100) < 2) {
          t -= rnd.nextInt(2_001);
        }
        String method = method(rnd);
        int status = status(rnd, method);
        String identifier;
        if (status == 401 && rnd.nextInt(10) == 0) {
          identifier = IDENTIFIER_NAMES[rnd.nextInt(5)];
        } else if (status == 401) {
          identifier = IDENTIFIER_NAMES[rnd.nextInt(IDENTIFIERS)];
        } else {
          identifier = IDENTIFIER_NAMES[sample(IDENTIFIER_CDF, rnd)];
        }
        batches[b][i] = AuditEvent.builder()
            .tenant(tenant)
            .service(SERVICE_NAMES[sample(SERVICE_CDF, rnd)])
            .epochMillis(t)
            .method(method)
            .status(status)
            .identifier(identifier)
            .eventType("http.request")
            .build();
      }
    }
    return new EventStream(tenant, batches, events * 1000 / EVENTS_PER_SECOND);
  }

  /** Policy modules of {@link #policyEvaluations}. */
  public static final int POLICY_MODULES = 20;
  /** Functions per policy module. */
  public static final int POLICY_FUNCTIONS = 5;
  /** Versions per policy function. */
  public static final int POLICY_VERSIONS = 3;

  /**
   * Generates a stream of policy evaluations: {@value #POLICY_MODULES} modules of
   * {@value #POLICY_FUNCTIONS} functions, each evaluated at {@value #POLICY_VERSIONS} versions
   * (300 versions; functions Zipf-skewed, 80% of a function's evaluations on its newest
   * version), 2% failures, log-normal execution times around 4 ms, at the stream's event rate
   * and with the same 2% of events up to 2 s out of order.
   *
   * @param tenant the tenant of every event
   * @param batchCount how many batches of {@value #BATCH} events
   * @param seed the random seed
   * @return the stream
   */
  public static EventStream policyEvaluations(String tenant, int batchCount, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int functions = POLICY_MODULES * POLICY_FUNCTIONS;
    double[] functionCdf = zipfCdf(functions, 1.0);
    String[] modules = names("module-", POLICY_MODULES);
    String[] functionNames = names("fn-", POLICY_FUNCTIONS);
    String[] versions = names("v", POLICY_VERSIONS);
    AuditEvent[][] batches = new AuditEvent[batchCount][BATCH];
    long events = (long) batchCount * BATCH;
    for (int b = 0; b < batchCount; b++) {
      for (int i = 0; i < BATCH; i++) {
        long n = (long) b * BATCH + i;
        long t = START_MILLIS + n * 1000 / EVENTS_PER_SECOND;
        if (rnd.nextInt(100) < 2) {
          t -= rnd.nextInt(2_001);
        }
        int f = sample(functionCdf, rnd);
        int v = rnd.nextInt(10) < 8 ? POLICY_VERSIONS - 1 : rnd.nextInt(POLICY_VERSIONS - 1);
        double millis = 4 * Math.exp(0.5 * gaussian(rnd));
        batches[b][i] = AuditEvent.builder()
            .tenant(tenant)
            .service(SERVICE_NAMES[f % SERVICES])
            .epochMillis(t)
            .eventType("policy.evaluation")
            .policyModule(modules[f / POLICY_FUNCTIONS])
            .policyFunction(functionNames[f % POLICY_FUNCTIONS])
            .versionId(versions[v])
            .outcome(rnd.nextInt(100) < 2 ? Outcome.FAILURE : Outcome.SUCCESS)
            .executionTimeMillis(millis)
            .build();
      }
    }
    return new EventStream(tenant, batches, events * 1000 / EVENTS_PER_SECOND);
  }

  private static double gaussian(SplittableRandom rnd) {
    // Box-Muller: SplittableRandom has no nextGaussian on Java 17
    double u = 1.0 - rnd.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd.nextDouble());
  }

  private static String method(SplittableRandom rnd) {
    int m = rnd.nextInt(10_000);
    if (m < 2) {
      return "DELETE";
    } else if (m < 7_002) {
      return "GET";
    } else if (m < 8_802) {
      return "POST";
    } else if (m < 9_502) {
      return "PUT";
    }
    return "PATCH";
  }

  private static int status(SplittableRandom rnd, String method) {
    int s = rnd.nextInt(10_000);
    if (s < 100) {
      return 401;
    } else if (s < 150) {
      return 403;
    } else if (s < 350) {
      return 404;
    } else if (s < 400) {
      return 500;
    } else if (s < 420) {
      return 503;
    }
    return switch (method) {
      case "POST" -> 201;
      case "DELETE" -> 204;
      default -> 200;
    };
  }

  private static int sample(double[] cdf, SplittableRandom rnd) {
    int i = Arrays.binarySearch(cdf, rnd.nextDouble());
    return Math.min(cdf.length - 1, i >= 0 ? i : -i - 1);
  }

  private static double[] zipfCdf(int n, double exponent) {
    double[] cdf = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += 1.0 / Math.pow(i + 1, exponent);
      cdf[i] = sum;
    }
    for (int i = 0; i < n; i++) {
      cdf[i] /= sum;
    }
    return cdf;
  }

  private static String[] names(String prefix, int n) {
    String[] out = new String[n];
    for (int i = 0; i < n; i++) {
      out[i] = prefix + String.format("%03d", i);
    }
    return out;
  }

  private static String[] identifierNames() {
    String[] out = new String[IDENTIFIERS];
    for (int i = 0; i < IDENTIFIERS; i++) {
      // half users, half client IPs
      out[i] = (i & 1) == 0 ? "user-" + i : "10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255);
    }
    return out;
  }

  /** @return the tenant of every event */
  public String tenant() {
    return tenant;
  }

  /** @return the number of batches */
  public int batchCount() {
    return batches.length;
  }

  /**
   * Returns one batch's events; the array is the stream's own.
   *
   * @param index the batch index
   * @return the events
   */
  public AuditEvent[] batch(int index) {
    return batches[index];
  }

  /**
   * Returns one batch as a fixed-size list view over the stream's array.
   *
   * @param index the batch index
   * @return the view
   */
  public List<AuditEvent> batchView(int index) {
    return views[index];
  }

  /** @return the event time the whole stream covers, in milliseconds */
  public long spanMillis() {
    return spanMillis;
  }

  /** @return every service name, in Zipf rank order */
  public static String[] serviceNames() {
    return SERVICE_NAMES.clone();
  }

  /** @return every identifier, in Zipf rank order */
  public static String[] identifierNames(int count) {
    return Arrays.copyOf(IDENTIFIER_NAMES, count);
  }
}
