package io.batanomaly.notify;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retry machinery both notifiers share: attempts, backoff, give-up rules, the
 * {@link Outbox} (written through at every step: recorded before the first attempt, updated
 * after each failed one, removed when acknowledged, moved to the dead letters when given up) and
 * the counters.
 *
 * <p><b>Ownership.</b> A delivery is in {@code pending} from submission until one party removes
 * it: the attempt that ends it (delivered, gone, given up) or {@link #close()}, which moves what
 * is still pending to the dead-letter list (or, with a durable {@link Outbox}, leaves it there
 * for the next start). Whoever removes it records the outcome, so a
 * delivery is counted once even when close races an attempt. Removing a delivery and recording
 * its outcome is one step that {@link #close()} waits for, so when close returns every delivery
 * it did not move itself already has its outcome recorded (an attempt interrupted by close is
 * not left half-way, neither pending nor dead-lettered). One delivery has at most one
 * attempt scheduled or running at a time, since a retry is scheduled only by the attempt before
 * it; the same delivery id is therefore never in flight twice.
 *
 * <p>Thread-safe.
 */
final class Deliveries implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);

  /** What one attempt came to. */
  enum Outcome {
    /** The receiver accepted it. */
    DELIVERED,
    /** A transient failure: try again. */
    RETRY,
    /** The receiver refused it for good: dead-letter it. */
    REFUSED,
    /** The target no longer exists: drop it (and the subscription). */
    GONE
  }

  /**
   * The result of one attempt.
   *
   * @param outcome what it came to
   * @param status the HTTP status, or 0 without an answer
   * @param retryAfter the wait the receiver asked for, or {@code null}
   * @param reason a short description for logs and dead letters
   */
  record Result(Outcome outcome, int status, Duration retryAfter, String reason) {}

  /** Makes one attempt; must not throw for a failure of the receiver. */
  interface Attempt {
    Result attempt(Delivery delivery) throws InterruptedException;
  }

  /** One notification on its way to one target. */
  static final class Delivery {
    final String id;
    final String targetId;
    final String tenant;
    final String event;
    final String anomalyId;
    final String body;
    final Instant firstAttemptAt;
    volatile int attempts;
    volatile int lastStatus;
    volatile String lastReason = "";
    volatile Instant nextAttemptAt;

    Delivery(String id, String targetId, String tenant, String event, String anomalyId,
        String body, Instant firstAttemptAt) {
      this.id = id;
      this.targetId = targetId;
      this.tenant = tenant;
      this.event = event;
      this.anomalyId = anomalyId;
      this.body = body;
      this.firstAttemptAt = firstAttemptAt;
      this.nextAttemptAt = firstAttemptAt;
    }

    static Delivery of(OutboxEntry e) {
      Delivery d = new Delivery(e.deliveryId(), e.targetId(), e.tenant(), e.event(),
          e.anomalyId(), e.body(), e.createdAt());
      d.attempts = e.attempts();
      d.lastStatus = e.lastStatus();
      d.lastReason = e.lastReason();
      d.nextAttemptAt = e.nextAttemptAt();
      return d;
    }

    OutboxEntry entry() {
      return new OutboxEntry(id, targetId, tenant, event, anomalyId, body, firstAttemptAt,
          attempts, nextAttemptAt, lastStatus, lastReason == null ? "" : lastReason);
    }
  }

  private final String what;
  private final DeliveryScheduler scheduler;
  private final InstantSource clock;
  private final RetryPolicy policy;
  private final int maxPending;
  private final RandomGenerator random;
  private final Attempt attempt;
  private final Consumer<Delivery> onGone;
  private final Outbox outbox;
  private final Set<Delivery> pending = ConcurrentHashMap.newKeySet();
  private final LongAdder submitted = new LongAdder();
  private final LongAdder delivered = new LongAdder();
  private final LongAdder attempts = new LongAdder();
  private final LongAdder retries = new LongAdder();
  private final LongAdder deadLettered = new LongAdder();
  private final LongAdder deadLettersDropped = new LongAdder();
  private final LongAdder gone = new LongAdder();
  private final LongAdder outboxFailures = new LongAdder();
  private final LongAdder resumed = new LongAdder();
  private final RateLimitedLog overflowLog = new RateLimitedLog();
  private final RateLimitedLog outboxLog = new RateLimitedLog();
  private final ReadWriteLock ending = new ReentrantReadWriteLock();
  private volatile boolean closed;

  Deliveries(String what, DeliveryScheduler scheduler, InstantSource clock, RetryPolicy policy,
      int maxPending, RandomGenerator random, Attempt attempt, Consumer<Delivery> onGone,
      Outbox outbox) {
    this.what = what;
    this.scheduler = scheduler;
    this.clock = clock;
    this.policy = policy;
    this.maxPending = maxPending;
    this.random = random;
    this.attempt = attempt;
    this.onGone = onGone;
    this.outbox = outbox;
  }

  InstantSource clock() {
    return clock;
  }

  /**
   * Takes up every delivery the outbox holds as pending (those a previous process left), each at
   * its next attempt time or at once if that has passed. Called once, when the notifier starts.
   *
   * @return how many were resumed
   */
  int resume() {
    List<OutboxEntry> left;
    try {
      left = outbox.pending();
    } catch (RuntimeException e) {
      outboxFailed("read the pending deliveries", e);
      return 0;
    }
    Instant now = clock.instant();
    for (OutboxEntry e : left) {
      Delivery d = Delivery.of(e);
      pending.add(d);
      resumed.increment();
      Duration wait = Duration.between(now, e.nextAttemptAt());
      schedule(d, wait.isNegative() ? Duration.ZERO : wait);
    }
    if (!left.isEmpty()) {
      LOG.info("{} notifier resumed {} deliveries pending in its outbox", what, left.size());
    }
    return left.size();
  }

  /**
   * Submits a delivery for its first attempt, as soon as possible, after recording it in the
   * outbox. The submission is counted once the delivery is pending (or dead-lettered), so a
   * reader that sees it counted also sees where it went.
   */
  void submit(Delivery d) {
    if (closed) {
      deadLetter(d, "the notifier was closed");
      submitted.increment();
      return;
    }
    if (pending.size() >= maxPending) {
      // a flood of these is one symptom: count them all, log them at most once a minute
      store(d, "too many deliveries pending (" + maxPending + ")");
      if (overflowLog.due()) {
        LOG.warn("{} deliveries pending reached {}; new ones go to the dead-letter list",
            what, maxPending);
      }
      submitted.increment();
      return;
    }
    try {
      outbox.add(d.entry());
    } catch (RuntimeException e) {
      outboxFailed("record delivery " + d.id, e);
    }
    pending.add(d);
    submitted.increment();
    schedule(d, Duration.ZERO);
  }

  /** Counts and logs (at most once a minute) a failure of the target store. */
  void storeFailed(String doing, RuntimeException e) {
    outboxFailed(doing, e);
  }

  private void outboxFailed(String doing, RuntimeException e) {
    outboxFailures.increment();
    if (outboxLog.due()) {
      LOG.warn("{} notifier's store failed to {} (failures so far: {}); going on from memory",
          what, doing, outboxFailures.sum(), e);
    }
  }

  private void schedule(Delivery d, Duration delay) {
    try {
      scheduler.schedule(() -> run(d), delay);
    } catch (RejectedExecutionException e) {
      if (!outbox.durable()) {
        end(d, () -> deadLetter(d, "the notifier was closed"));
      }
    }
  }

  private void run(Delivery d) {
    if (closed || !pending.contains(d)) {
      return;
    }
    d.attempts++;
    attempts.increment();
    Result r = tryOnce(d);
    d.lastStatus = r.status();
    d.lastReason = r.reason();
    switch (r.outcome()) {
      case DELIVERED:
        end(d, () -> {
          delivered.increment();
          removeFromOutbox(d);
        });
        return;
      case GONE:
        if (end(d, () -> {
          gone.increment();
          removeFromOutbox(d);
        })) {
          onGone.accept(d);
        }
        return;
      case REFUSED:
        end(d, () -> deadLetter(d, r.reason()));
        return;
      default:
        try {
          retry(d, r);
        } catch (RuntimeException e) {
          // never leave a delivery pending with no attempt scheduled
          end(d, () -> deadLetter(d, "gave up: could not schedule a retry (" + e + "); last: "
              + r.reason()));
        }
    }
  }

  /**
   * Takes a delivery out of {@code pending} and, if this call took it, records its outcome, as
   * one step: {@link #close()} waits for the steps under way, so a delivery it does not find
   * pending already has its outcome recorded when it returns.
   *
   * @return whether this call took the delivery
   */
  private boolean end(Delivery d, Runnable record) {
    ending.readLock().lock();
    try {
      if (!pending.remove(d)) {
        return false;
      }
      record.run();
      return true;
    } finally {
      ending.readLock().unlock();
    }
  }

  private Result tryOnce(Delivery d) {
    try {
      return attempt.attempt(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(Outcome.RETRY, 0, null, "interrupted");
    } catch (RuntimeException e) {
      return new Result(Outcome.RETRY, 0, null, e.toString());
    }
  }

  private void removeFromOutbox(Delivery d) {
    try {
      outbox.remove(d.id, d.targetId);
    } catch (RuntimeException e) {
      outboxFailed("remove delivery " + d.id, e);
    }
  }

  private void retry(Delivery d, Result r) {
    if (d.attempts >= policy.maxAttempts()) {
      end(d, () -> deadLetter(d, "gave up after " + d.attempts + " attempts; last: "
          + r.reason()));
      return;
    }
    Duration delay = r.retryAfter() != null ? r.retryAfter() : policy.backoff(d.attempts, random);
    // compared with what is left of the maximum age rather than added to the clock: a
    // Retry-After of any size (up to Long.MAX_VALUE seconds) cannot overflow an Instant here
    Instant now = clock.instant();
    Duration left = policy.maxAge().minus(Duration.between(d.firstAttemptAt, now));
    if (delay.compareTo(left) > 0) {
      end(d, () -> deadLetter(d, "gave up: a retry in " + delay.toSeconds() + " s would pass"
          + " the maximum age of " + policy.maxAge() + "; last: " + r.reason()));
      return;
    }
    retries.increment();
    d.nextAttemptAt = now.plus(delay);
    try {
      outbox.update(d.entry());
    } catch (RuntimeException e) {
      outboxFailed("update delivery " + d.id, e);
    }
    schedule(d, delay);
  }

  private void deadLetter(Delivery d, String reason) {
    store(d, reason);
    LOG.warn("{} delivery {} of {} to {} given up: {}", what, d.id, d.event, d.targetId,
        reason);
  }

  private void store(Delivery d, String reason) {
    deadLettered.increment();
    try {
      int dropped = outbox.deadLetter(d.entry(), clock.instant(), reason);
      if (dropped > 0) {
        deadLettersDropped.add(dropped);
      }
    } catch (RuntimeException e) {
      outboxFailed("keep the dead letter of delivery " + d.id, e);
    }
  }

  List<DeadLetter> deadLetters() {
    return outbox.deadLetters();
  }

  /**
   * Takes dead letters out of the list and submits them again, with the same delivery id and a
   * fresh budget of attempts and age.
   */
  int replay(String deliveryId) {
    List<DeadLetter> taken = outbox.takeDeadLetters(deliveryId);
    for (DeadLetter l : taken) {
      submit(new Delivery(l.deliveryId(), l.targetId(), l.tenant(), l.event(), l.anomalyId(),
          l.body(), clock.instant()));
    }
    return taken.size();
  }

  DeliveryStats stats() {
    int held;
    try {
      held = outbox.deadLetters().size();
    } catch (RuntimeException e) {
      held = -1;
    }
    return new DeliveryStats(submitted.sum(), delivered.sum(), attempts.sum(), retries.sum(),
        deadLettered.sum(), deadLettersDropped.sum(), gone.sum(), resumed.sum(),
        outboxFailures.sum(), pending.size(), held);
  }

  /**
   * Stops attempts. With an outbox that survives the process, pending deliveries stay in it for
   * the next start; otherwise they move to the dead-letter list.
   */
  @Override
  public void close() {
    closed = true;
    scheduler.close();
    // waits for the attempts that are recording an outcome (one interrupted by the scheduler's
    // close among them), so none is left neither pending nor recorded when close returns
    ending.writeLock().lock();
    try {
      moveOrKeepPending();
    } finally {
      ending.writeLock().unlock();
    }
  }

  private void moveOrKeepPending() {
    if (outbox.durable()) {
      int left = pending.size();
      pending.clear();
      if (left > 0) {
        LOG.info("{} notifier closed with {} deliveries pending; they stay in the outbox for"
            + " the next start", what, left);
      }
      return;
    }
    int moved = 0;
    for (Delivery d : List.copyOf(pending)) {
      if (pending.remove(d)) {
        store(d, "the notifier was closed");
        moved++;
      }
    }
    if (moved > 0) {
      // one line for the lot: a hanging receiver may leave thousands pending
      LOG.warn("{} notifier closed with {} deliveries pending; they are in the dead-letter"
          + " list", what, moved);
    }
  }

  /** Lets a symptom that may repeat thousands of times be logged at most once a minute. */
  private static final class RateLimitedLog {
    private final AtomicLong last = new AtomicLong(System.nanoTime() - Long.MAX_VALUE / 2);

    boolean due() {
      long now = System.nanoTime();
      long was = last.get();
      return now - was >= TimeUnit.MINUTES.toNanos(1) && last.compareAndSet(was, now);
    }
  }

  /**
   * Reads a {@code Retry-After} value: delay-seconds or an HTTP-date.
   *
   * @param value the header value, or {@code null}
   * @param now the current time
   * @return the wait, never negative, or {@code null} if absent or unreadable
   */
  static Duration parseRetryAfter(String value, Instant now) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.trim();
    if (v.chars().allMatch(Character::isDigit)) {
      try {
        return Duration.ofSeconds(Long.parseLong(v));
      } catch (NumberFormatException tooLong) {
        return null;
      }
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(now, at);
      return d.isNegative() ? Duration.ZERO : d;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * Classifies an HTTP answer the way webhooks and push services are treated alike: 2xx
   * delivered; 429 and 503 retried after their {@code Retry-After}; 408, 425 and other 5xx
   * retried with backoff; anything else refused.
   */
  static Result classify(int status, String retryAfter, Instant now) {
    if (status >= 200 && status < 300) {
      return new Result(Outcome.DELIVERED, status, null, "HTTP " + status);
    }
    if (status == 429 || status == 503) {
      return new Result(Outcome.RETRY, status, parseRetryAfter(retryAfter, now),
          "HTTP " + status + (retryAfter == null ? "" : " Retry-After: " + retryAfter));
    }
    if (status == 408 || status == 425 || status >= 500) {
      return new Result(Outcome.RETRY, status, null, "HTTP " + status);
    }
    return new Result(Outcome.REFUSED, status, null, "refused with HTTP " + status);
  }
}
