package io.batanomaly.examples.demo;

import io.batanomaly.AuditEvent;
import io.batanomaly.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * The demo's default stream: three tenants, sixteen services and four policies with realistic
 * background traffic, and one injected incident for each of the eight built-in anomaly types.
 *
 * <p>Background traffic is Poisson per service (0.3 to 6 events per second), about 4% 4xx/5xx
 * responses spread over hundreds of users, a few DELETEs, and policy evaluations with
 * log-normal execution times and a 0.5% failure rate. Everything is generated lazily, one
 * simulated second at a time, from a seed, so the same seed always gives the same stream.
 *
 * <p>The incidents, from {@link #START}:
 *
 * <ul>
 *   <li>+0:30 BRUTE_FORCE: one IP fails 60 logins in four minutes on initech's auth and portal;
 *   <li>+0:40 ZOMBIE_VERSION: acme-corp rolls pricing/discount out from v3 to v4 and declares v4
 *       active ({@code AnomalyEngine#activateVersion}), but one node keeps evaluating v3 (15% of
 *       the traffic) to the end;
 *   <li>+0:45 VOLUME_SPIKE: globex's api-gateway takes six times its traffic for 90 seconds;
 *   <li>+1:00 ERROR_RATE: acme-corp's checkout answers 45% 5xx for eight minutes;
 *   <li>+1:15 MASS_DELETE: a cleanup job deletes 150 records of globex's inventory in four
 *       minutes;
 *   <li>+1:30 SILENT_SERVICE: acme-corp's billing sends nothing for 30 minutes;
 *   <li>+1:40 HIGH_FAILURE_RATE: initech's access/canRead v12 fails 30% of evaluations for 20
 *       minutes;
 *   <li>+2:00 PERFORMANCE_DEGRADATION: globex's risk/evaluate v9 runs four times slower for 40
 *       minutes.
 * </ul>
 */
public final class DemoScenario {

  /** Where the default scenario starts in simulated time. */
  public static final Instant START = Instant.parse("2026-03-02T08:00:00Z");

  /** How long the default scenario runs in simulated time. */
  public static final Duration LENGTH = Duration.ofHours(3);

  /** The default seed. */
  public static final long SEED = 20260302L;

  private static final String POLICY_SERVICE = "policy-engine";

  private final Instant start;
  private final Instant end;
  private final long seed;
  private final List<TrafficSource> streams = new ArrayList<>();
  private final List<Incident> incidents = new ArrayList<>();
  private final List<Replay.ScheduledAction> actions = new ArrayList<>();

  private DemoScenario(Instant start, Duration length, long seed) {
    this.start = start;
    this.end = start.plus(length);
    this.seed = seed;
  }

  /**
   * Returns the default scenario: {@link #START}, {@link #LENGTH}, {@link #SEED}.
   *
   * @return the scenario
   */
  public static DemoScenario standard() {
    return standard(SEED);
  }

  /**
   * Returns the default scenario with another seed for the background traffic.
   *
   * @param seed the seed
   * @return the scenario
   */
  public static DemoScenario standard(long seed) {
    DemoScenario s = new DemoScenario(START, LENGTH, seed);
    s.build();
    return s;
  }

  private Instant at(int hours, int minutes) {
    return start.plus(Duration.ofHours(hours).plusMinutes(minutes));
  }

  private void build() {
    // acme-corp
    HttpTraffic checkout = http("acme-corp", "checkout", 6.0);
    HttpTraffic billing = http("acme-corp", "billing", 2.0);
    http("acme-corp", "auth", 3.0);
    http("acme-corp", "catalog", 5.0);
    http("acme-corp", "search", 4.0);
    PolicyTraffic pricing = policy("acme-corp", "pricing", "discount", 5.0, "v3", 4.0);
    policy("acme-corp", "fraud", "score", 3.0, "v5", 9.0);
    // globex
    HttpTraffic gateway = http("globex", "api-gateway", 5.0);
    http("globex", "orders", 3.0);
    http("globex", "inventory", 2.0);
    http("globex", "reports", 0.5);
    PolicyTraffic risk = policy("globex", "risk", "evaluate", 4.0, "v9", 6.0);
    // initech
    http("initech", "portal", 2.0);
    http("initech", "files", 2.0);
    http("initech", "auth", 1.5);
    http("initech", "hr", 0.3);
    PolicyTraffic access = policy("initech", "access", "canRead", 3.0, "v12", 2.0);

    // +0:30 brute force against initech's login, from one address, across two services
    Instant bfStart = at(0, 30);
    Instant bfEnd = at(0, 34);
    String attacker = "203.0.113.77";
    streams.add(new Burst("initech", "auth", "POST", 401, attacker, 30, bfStart, bfEnd));
    streams.add(new Burst("initech", "portal", "POST", 401, attacker, 30,
        bfStart.plusSeconds(5), bfEnd.plusSeconds(5)));
    incidents.add(new Incident("BRUTE_FORCE", "initech", null, attacker, null, bfStart, bfEnd,
        "60 failed logins (401) in 4 minutes from " + attacker + " on auth and portal"));

    // +0:40 rollout of pricing/discount v4; one node keeps serving v3
    Instant rollout = at(0, 40);
    pricing.rollout(rollout, Duration.ofMinutes(2), "v4", 0.85);
    actions.add(new Replay.ScheduledAction(rollout,
        "acme-corp declares pricing/discount v4 active",
        engine -> engine.activateVersion("acme-corp", "pricing", "discount", "v4")));
    incidents.add(new Incident("ZOMBIE_VERSION", "acme-corp", POLICY_SERVICE, null, "v3",
        rollout, end, "pricing/discount v3 superseded by v4, still gets 15% of evaluations"));

    // +0:45 a runaway retry loop: six times the traffic for 90 seconds
    Instant spike = at(0, 45);
    gateway.phase(spike, spike.plusSeconds(90), 6.0, -1);
    incidents.add(new Incident("VOLUME_SPIKE", "globex", "api-gateway", null, null, spike,
        spike.plusSeconds(90), "api-gateway at 6x its rate for 90 s (retry loop)"));

    // +1:00 a bad deploy: 45% 5xx for eight minutes
    Instant deploy = at(1, 0);
    checkout.phase(deploy, deploy.plus(Duration.ofMinutes(8)), 1.0, 0.45);
    incidents.add(new Incident("ERROR_RATE", "acme-corp", "checkout", null, null, deploy,
        deploy.plus(Duration.ofMinutes(8)), "checkout answers 45% 5xx for 8 minutes"));

    // +1:15 a cleanup job gone wrong
    Instant purge = at(1, 15);
    streams.add(new Burst("globex", "inventory", "DELETE", 204, "svc-cleanup-job", 150, purge,
        purge.plus(Duration.ofMinutes(4))));
    incidents.add(new Incident("MASS_DELETE", "globex", "inventory", null, null, purge,
        purge.plus(Duration.ofMinutes(4)), "150 DELETEs in 4 minutes on inventory"));

    // +1:30 billing crashes and comes back 30 minutes later
    Instant crash = at(1, 30);
    billing.phase(crash, crash.plus(Duration.ofMinutes(30)), 0.0, -1);
    incidents.add(new Incident("SILENT_SERVICE", "acme-corp", "billing", null, null, crash,
        crash.plus(Duration.ofMinutes(30)), "billing sends nothing for 30 minutes"));

    // +1:40 a dependency of access/canRead v12 fails
    Instant outage = at(1, 40);
    access.degrade("v12", outage, outage.plus(Duration.ofMinutes(20)), 0.30, 1.0);
    incidents.add(new Incident("HIGH_FAILURE_RATE", "initech", POLICY_SERVICE, null, "v12",
        outage, outage.plus(Duration.ofMinutes(20)),
        "access/canRead v12 fails 30% of evaluations for 20 minutes"));

    // +2:00 risk/evaluate v9 slows down four times
    Instant slow = at(2, 0);
    risk.degrade("v9", slow, slow.plus(Duration.ofMinutes(40)), -1, 4.0);
    incidents.add(new Incident("PERFORMANCE_DEGRADATION", "globex", POLICY_SERVICE, null, "v9",
        slow, slow.plus(Duration.ofMinutes(40)),
        "risk/evaluate v9 runs 4x slower for 40 minutes"));
  }

  private HttpTraffic http(String tenant, String service, double rate) {
    HttpTraffic t = new HttpTraffic(tenant, service, rate);
    streams.add(t);
    return t;
  }

  private PolicyTraffic policy(String tenant, String module, String function, double rate,
      String version, double medianMillis) {
    PolicyTraffic t = new PolicyTraffic(tenant, module, function, rate, version, medianMillis);
    streams.add(t);
    return t;
  }

  /** @return where the scenario starts, in simulated time */
  public Instant start() {
    return start;
  }

  /** @return where the scenario ends, in simulated time */
  public Instant end() {
    return end;
  }

  /** @return the injected incidents, in the order they start */
  public List<Incident> incidents() {
    List<Incident> sorted = new ArrayList<>(incidents);
    sorted.sort(Comparator.comparing(Incident::start));
    return List.copyOf(sorted);
  }

  /** @return what the scenario does to the engine along the way, as a host would */
  public List<Replay.ScheduledAction> actions() {
    return List.copyOf(actions);
  }

  /**
   * Returns the events, generated lazily one simulated second at a time, in time order.
   *
   * @return a new iterator over the whole stream
   */
  public Iterator<AuditEvent> events() {
    return new Generator();
  }

  private final class Generator implements Iterator<AuditEvent> {
    private final SplittableRandom random = new SplittableRandom(seed);
    private final List<AuditEvent> second = new ArrayList<>();
    private long secondStart = start.toEpochMilli();
    private final long endMillis = end.toEpochMilli();
    private int index;

    @Override
    public boolean hasNext() {
      while (index >= second.size()) {
        if (secondStart >= endMillis) {
          return false;
        }
        second.clear();
        index = 0;
        for (TrafficSource s : streams) {
          s.emit(secondStart, random, second);
        }
        second.sort(Comparator.comparingLong(AuditEvent::epochMillis));
        secondStart += 1000;
      }
      return true;
    }

    @Override
    public AuditEvent next() {
      if (!hasNext()) {
        throw new NoSuchElementException("the scenario has no more events");
      }
      return second.get(index++);
    }
  }

  /** A source of events, asked for one simulated second at a time. */
  private interface TrafficSource {
    void emit(long secondStart, SplittableRandom random, List<AuditEvent> out);
  }

  private static int poisson(double lambda, SplittableRandom random) {
    if (lambda <= 0) {
      return 0;
    }
    double l = Math.exp(-lambda);
    int k = 0;
    double p = 1;
    do {
      k++;
      p *= random.nextDouble();
    } while (p > l);
    return k - 1;
  }

  private static final int USERS = 400;

  private static String[] users(String tenant) {
    String[] users = new String[USERS];
    for (int i = 0; i < USERS; i++) {
      users[i] = tenant + "-user-" + i;
    }
    return users;
  }

  /** A span in which a service's rate is multiplied and, if errorShare >= 0, that share is 5xx. */
  private record Phase(long from, long to, double rateFactor, double errorShare) {}

  /** A span in which a version fails at failureRate (if >= 0) and runs slowerBy times slower. */
  private record Degradation(String version, long from, long to, double failureRate,
      double slowerBy) {}

  /** One service's HTTP requests, with phases that change its rate or its error share. */
  private static final class HttpTraffic implements TrafficSource {
    private final String tenant;
    private final String service;
    private final double rate;
    private final String[] users;
    private final List<Phase> phases = new ArrayList<>();

    HttpTraffic(String tenant, String service, double rate) {
      this.tenant = tenant;
      this.service = service;
      this.rate = rate;
      this.users = users(tenant);
    }

    /** Between from and to, multiply the rate and (if errorShare >= 0) answer that many 5xx. */
    void phase(Instant from, Instant to, double rateFactor, double errorShare) {
      phases.add(new Phase(from.toEpochMilli(), to.toEpochMilli(), rateFactor, errorShare));
    }

    @Override
    public void emit(long secondStart, SplittableRandom random, List<AuditEvent> out) {
      double factor = 1.0;
      double errorShare = -1;
      for (Phase p : phases) {
        if (secondStart >= p.from() && secondStart < p.to()) {
          factor = p.rateFactor();
          errorShare = p.errorShare();
        }
      }
      int n = poisson(rate * factor, random);
      for (int i = 0; i < n; i++) {
        String method = method(random);
        int status;
        if (errorShare >= 0 && random.nextDouble() < errorShare) {
          status = random.nextBoolean() ? 502 : 503;
        } else {
          status = status(method, random);
        }
        out.add(AuditEvent.builder().tenant(tenant).service(service)
            .epochMillis(secondStart + random.nextInt(1000)).method(method).status(status)
            .identifier(users[random.nextInt(USERS)]).eventType("http.request").build());
      }
    }

    private static String method(SplittableRandom random) {
      double r = random.nextDouble();
      if (r < 0.72) {
        return "GET";
      }
      if (r < 0.90) {
        return "POST";
      }
      return r < 0.995 ? "PUT" : "DELETE";
    }

    private static int status(String method, SplittableRandom random) {
      double r = random.nextDouble();
      if (r < 0.010) {
        return 401;
      }
      if (r < 0.015) {
        return 403;
      }
      if (r < 0.030) {
        return 404;
      }
      if (r < 0.035) {
        return 400;
      }
      if (r < 0.040) {
        return 500;
      }
      if ("DELETE".equals(method)) {
        return 204;
      }
      return "POST".equals(method) ? 201 : 200;
    }
  }

  /** A fixed number of identical requests spread evenly over a span. */
  private static final class Burst implements TrafficSource {
    private final String tenant;
    private final String service;
    private final String method;
    private final int status;
    private final String identifier;
    private final long from;
    private final long step;
    private final int count;

    Burst(String tenant, String service, String method, int status, String identifier, int count,
        Instant from, Instant to) {
      this.tenant = tenant;
      this.service = service;
      this.method = method;
      this.status = status;
      this.identifier = identifier;
      this.count = count;
      this.from = from.toEpochMilli();
      this.step = Math.max(1, (to.toEpochMilli() - this.from) / count);
    }

    @Override
    public void emit(long secondStart, SplittableRandom random, List<AuditEvent> out) {
      for (int i = 0; i < count; i++) {
        long t = from + i * step;
        if (t >= secondStart && t < secondStart + 1000) {
          out.add(AuditEvent.builder().tenant(tenant).service(service).epochMillis(t)
              .method(method).status(status).identifier(identifier).eventType("http.request")
              .build());
        }
      }
    }
  }

  /** Evaluations of one policy function, with rollouts and per-version degradations. */
  private static final class PolicyTraffic implements TrafficSource {
    private final String tenant;
    private final String module;
    private final String function;
    private final double rate;
    private final String initialVersion;
    private final String[] users;
    private final double medianMillis;
    private long rolloutAt = Long.MAX_VALUE;
    private long rolloutMillis;
    private String newVersion;
    private double newShare;
    private final List<Degradation> degradations = new ArrayList<>();

    PolicyTraffic(String tenant, String module, String function, double rate, String version,
        double medianMillis) {
      this.tenant = tenant;
      this.module = module;
      this.function = function;
      this.rate = rate;
      this.initialVersion = version;
      this.users = users(tenant);
      this.medianMillis = medianMillis;
    }

    /** From {@code at}, move traffic to {@code version} linearly over {@code ramp}, up to share. */
    void rollout(Instant at, Duration ramp, String version, double share) {
      this.rolloutAt = at.toEpochMilli();
      this.rolloutMillis = ramp.toMillis();
      this.newVersion = version;
      this.newShare = share;
    }

    /** Between from and to, version fails with failureRate (if >= 0) and runs slowerBy times. */
    void degrade(String version, Instant from, Instant to, double failureRate, double slowerBy) {
      degradations.add(new Degradation(version, from.toEpochMilli(), to.toEpochMilli(),
          failureRate, slowerBy));
    }

    @Override
    public void emit(long secondStart, SplittableRandom random, List<AuditEvent> out) {
      int n = poisson(rate, random);
      for (int i = 0; i < n; i++) {
        long t = secondStart + random.nextInt(1000);
        String version = initialVersion;
        if (t >= rolloutAt) {
          double share = newShare * Math.min(1.0, (t - rolloutAt) / (double) rolloutMillis);
          if (random.nextDouble() < share) {
            version = newVersion;
          }
        }
        double failureRate = 0.005;
        double slower = 1.0;
        for (Degradation d : degradations) {
          if (d.version().equals(version) && t >= d.from() && t < d.to()) {
            if (d.failureRate() >= 0) {
              failureRate = d.failureRate();
            }
            slower = d.slowerBy();
          }
        }
        double millis = medianMillis * slower * Math.exp(0.35 * random.nextGaussian());
        out.add(AuditEvent.builder().tenant(tenant).service(POLICY_SERVICE).epochMillis(t)
            .identifier(users[random.nextInt(USERS)]).eventType("policy.evaluation")
            .policyModule(module).policyFunction(function).versionId(version)
            .outcome(random.nextDouble() < failureRate ? Outcome.FAILURE : Outcome.SUCCESS)
            .executionTimeMillis(millis).build());
      }
    }
  }
}
