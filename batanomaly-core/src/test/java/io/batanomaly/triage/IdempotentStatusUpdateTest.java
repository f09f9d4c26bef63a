package io.batanomaly.triage;

import static io.batanomaly.api.AnomalyStatus.DISMISSED;
import static io.batanomaly.api.AnomalyStatus.OPEN;
import static io.batanomaly.api.AnomalyStatus.RESOLVED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalySettings;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyNotFoundException;
import io.batanomaly.api.HistoryEntry;
import io.batanomaly.api.IdempotencyKeyInFlightException;
import io.batanomaly.api.IdempotencyKeyReusedException;
import io.batanomaly.api.IllegalTransitionException;
import io.batanomaly.api.InvalidRequestException;
import io.batanomaly.api.StatusUpdateRequest;
import io.batanomaly.testkit.GatedRepository;
import io.batanomaly.testkit.TriageFixture;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Status updates with an Idempotency-Key. */
class IdempotentStatusUpdateTest {

  private static final String KEY = "550e8400-e29b-41d4-a716-446655440000";
  private static final StatusUpdateRequest RESOLVE =
      new StatusUpdateRequest(RESOLVED, "rolled back");
  private static final StatusUpdateRequest REOPEN = new StatusUpdateRequest(OPEN, null);

  private final GatedRepository repository = new GatedRepository();
  private final TriageFixture f = TriageFixture.builder().repository(repository).build();

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void aRetryReturnsTheStoredOutcomeWithoutApplyingTheChangeAgain() {
    Anomaly a = f.open("acme", "billing");
    Anomaly first = f.triage().updateStatus("acme", a.id(), RESOLVE, KEY);
    assertThat(first.status()).isEqualTo(RESOLVED);
    f.clock().advance(Duration.ofMinutes(1));
    f.triage().updateStatus("acme", a.id(), REOPEN, null);

    Anomaly replay = f.triage().updateStatus("acme", a.id(), RESOLVE, KEY);

    assertThat(replay).isEqualTo(first);
    Anomaly stored = f.triage().get("acme", a.id());
    assertThat(stored.status()).isEqualTo(OPEN);
    assertThat(stored.history()).extracting(HistoryEntry::to)
        .containsExactly(OPEN, RESOLVED, OPEN);
  }

  @Test
  void aRetryOfARequestThatFailedWithAConflictGetsTheSameConflict() {
    Anomaly a = f.open("acme", "billing");
    Throwable first = catchThrowable(() -> f.triage().updateStatus("acme", a.id(), REOPEN, KEY));
    assertThat(first).isInstanceOf(IllegalTransitionException.class);
    // now the same request would be allowed, but the key's outcome is the conflict
    f.triage().updateStatus("acme", a.id(), RESOLVE, null);
    assertThatThrownBy(() -> f.triage().updateStatus("acme", a.id(), REOPEN, KEY))
        .isSameAs(first);
    assertThat(f.triage().get("acme", a.id()).status()).isEqualTo(RESOLVED);
  }

  @Test
  void aRetryOfARequestForAMissingAnomalyGetsTheSameNotFound() {
    Throwable first = catchThrowable(
        () -> f.triage().updateStatus("acme", "anom-missing", RESOLVE, KEY));
    assertThat(first).isInstanceOf(AnomalyNotFoundException.class);
    assertThatThrownBy(() -> f.triage().updateStatus("acme", "anom-missing", RESOLVE, KEY))
        .isSameAs(first);
  }

  @Test
  void aMissingIdWithAKeyIsNotFoundLikeWithoutOne() {
    assertThatThrownBy(() -> f.triage().updateStatus("acme", null, RESOLVE, KEY))
        .isInstanceOf(AnomalyNotFoundException.class);
    assertThatThrownBy(() -> f.triage().updateStatus("acme", null, RESOLVE, null))
        .isInstanceOf(AnomalyNotFoundException.class);
  }

  @Test
  void theSameKeyWithADifferentRequestIsRefusedWith422() {
    Anomaly a = f.open("acme", "billing");
    Anomaly b = f.open("acme", "payroll");
    f.triage().updateStatus("acme", a.id(), RESOLVE, KEY);
    assertThatThrownBy(() -> f.triage().updateStatus("acme", a.id(),
        new StatusUpdateRequest(DISMISSED, "rolled back"), KEY))
        .isInstanceOfSatisfying(IdempotencyKeyReusedException.class,
            e -> assertThat(e.httpStatus()).isEqualTo(422))
        .hasMessageContaining(KEY);
    assertThatThrownBy(() -> f.triage().updateStatus("acme", a.id(),
        new StatusUpdateRequest(RESOLVED, "another note"), KEY))
        .isInstanceOf(IdempotencyKeyReusedException.class);
    assertThatThrownBy(() -> f.triage().updateStatus("acme", b.id(), RESOLVE, KEY))
        .isInstanceOf(IdempotencyKeyReusedException.class);
    assertThat(f.triage().get("acme", b.id()).status()).isEqualTo(OPEN);
  }

  @Test
  @Timeout(30)
  void aRetryWhileTheFirstRequestIsInFlightIsRefusedWith409() throws Exception {
    Anomaly a = f.open("acme", "billing");
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    repository.holdNextReplace(entered, release);
    CompletableFuture<Anomaly> first = CompletableFuture.supplyAsync(
        () -> f.triage().updateStatus("acme", a.id(), RESOLVE, KEY));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

    assertThatThrownBy(() -> f.triage().updateStatus("acme", a.id(), RESOLVE, KEY))
        .isInstanceOfSatisfying(IdempotencyKeyInFlightException.class,
            e -> assertThat(e.httpStatus()).isEqualTo(409))
        .hasMessageContaining(KEY);
    // a different request with the key is still a misuse of the key
    assertThatThrownBy(() -> f.triage().updateStatus("acme", a.id(), REOPEN, KEY))
        .isInstanceOf(IdempotencyKeyReusedException.class);

    release.countDown();
    Anomaly done = first.get(10, TimeUnit.SECONDS);
    assertThat(done.status()).isEqualTo(RESOLVED);
    assertThat(f.triage().updateStatus("acme", a.id(), RESOLVE, KEY)).isEqualTo(done);
    assertThat(f.triage().get("acme", a.id()).history()).hasSize(2);
  }

  @Test
  void aServerErrorIsNotStoredSoTheRequestCanBeRetried() {
    Anomaly a = f.open("acme", "billing");
    repository.failNextReplace(new IllegalStateException("database unavailable"));
    assertThatThrownBy(() -> f.triage().updateStatus("acme", a.id(), RESOLVE, KEY))
        .isInstanceOf(IllegalStateException.class).hasMessage("database unavailable");
    assertThat(f.triage().updateStatus("acme", a.id(), RESOLVE, KEY).status())
        .isEqualTo(RESOLVED);
  }

  @Test
  void theOutcomeExpiresAfter24HoursByTheEngineClock() {
    Anomaly a = f.open("acme", "billing");
    Anomaly first = f.triage().updateStatus("acme", a.id(), RESOLVE, KEY);
    f.triage().updateStatus("acme", a.id(), REOPEN, null);

    f.clock().advance(Duration.ofHours(24).minusMillis(1));
    f.engine().tick();
    assertThat(f.engine().health().idempotencyKeys()).isEqualTo(1);
    assertThat(f.triage().updateStatus("acme", a.id(), RESOLVE, KEY)).isEqualTo(first);
    assertThat(f.triage().get("acme", a.id()).status()).isEqualTo(OPEN);

    f.clock().advance(Duration.ofMillis(1));
    Anomaly again = f.triage().updateStatus("acme", a.id(), RESOLVE, KEY);
    assertThat(again).isNotEqualTo(first);
    assertThat(again.status()).isEqualTo(RESOLVED);
    assertThat(again.history()).extracting(HistoryEntry::to)
        .containsExactly(OPEN, RESOLVED, OPEN, RESOLVED);
  }

  @Test
  void aTickForgetsExpiredKeys() {
    Anomaly a = f.open("acme", "billing");
    f.triage().updateStatus("acme", a.id(), RESOLVE, KEY);
    assertThat(f.engine().health().idempotencyKeys()).isEqualTo(1);
    f.clock().advance(Duration.ofHours(24));
    f.engine().tick();
    assertThat(f.engine().health().idempotencyKeys()).isZero();
    assertThat(f.engine().health().idempotencyKeysDropped()).isZero();
  }

  @Test
  void keysAreScopedToTheTenant() {
    Anomaly acme = f.open("acme", "billing");
    Anomaly globex = f.open("globex", "billing");
    Anomaly a = f.triage().updateStatus("acme", acme.id(), RESOLVE, KEY);
    // the same key in another tenant is another key: no 422, no replay of acme's outcome
    Anomaly g = f.triage().updateStatus("globex", globex.id(), RESOLVE, KEY);
    assertThat(a.tenant()).isEqualTo("acme");
    assertThat(g.tenant()).isEqualTo("globex");
    assertThat(g.id()).isEqualTo(globex.id());
    assertThat(f.triage().get("globex", globex.id()).status()).isEqualTo(RESOLVED);
    assertThat(f.engine().health().idempotencyKeys()).isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "with space", "tab\there", "caf\u00e9", "line\nbreak"})
  void aMalformedKeyIsAnInvalidRequestAndChangesNothing(String key) {
    Anomaly a = f.open("acme", "billing");
    assertThatThrownBy(() -> f.triage().updateStatus("acme", a.id(), RESOLVE, key))
        .isInstanceOfSatisfying(InvalidRequestException.class,
            e -> assertThat(e.httpStatus()).isEqualTo(400))
        .hasMessageStartingWith("Idempotency-Key must be");
    assertThat(f.triage().get("acme", a.id()).status()).isEqualTo(OPEN);
  }

  @Test
  void aKeyOf255CharactersIsAcceptedAndOneOf256IsNot() {
    Anomaly a = f.open("acme", "billing");
    assertThatThrownBy(() -> f.triage().updateStatus("acme", a.id(), RESOLVE, "k".repeat(256)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("Idempotency-Key must be 1 to 255 characters, but had 256");
    assertThat(f.triage().updateStatus("acme", a.id(), RESOLVE, "k".repeat(255)).status())
        .isEqualTo(RESOLVED);
  }

  @Test
  void theKeyStoreIsBoundedAndCountsWhatItDrops() {
    AnomalyConfig config = AnomalyConfig.defaults().toBuilder()
        .set(AnomalySettings.IDEMPOTENCY_MAX_KEYS, 3).build();
    try (TriageFixture small = TriageFixture.builder().config(config).build()) {
      Anomaly a = small.open("acme", "billing");
      StatusUpdateRequest dismiss = new StatusUpdateRequest(DISMISSED, "noise");
      small.triage().updateStatus("acme", a.id(), dismiss, "k1");
      for (String k : new String[] {"k2", "k3", "k4"}) {
        assertThatThrownBy(() -> small.triage().updateStatus("acme", "anom-missing", RESOLVE, k))
            .isInstanceOf(AnomalyNotFoundException.class);
      }
      assertThat(small.engine().health().idempotencyKeys()).isEqualTo(3);
      assertThat(small.engine().health().idempotencyKeysDropped()).isEqualTo(1);

      // k1, the oldest, was dropped: its request runs again
      small.triage().updateStatus("acme", a.id(), REOPEN, null);
      Anomaly again = small.triage().updateStatus("acme", a.id(), dismiss, "k1");
      assertThat(again.history()).extracting(HistoryEntry::to)
          .containsExactly(OPEN, DISMISSED, OPEN, DISMISSED);
      assertThat(small.engine().health().idempotencyKeysDropped()).isEqualTo(2);

      // expired keys make room without counting as drops
      small.clock().advance(Duration.ofHours(25));
      for (String k : new String[] {"k5", "k6", "k7"}) {
        assertThatThrownBy(() -> small.triage().updateStatus("acme", "anom-missing", RESOLVE, k))
            .isInstanceOf(AnomalyNotFoundException.class);
      }
      assertThat(small.engine().health().idempotencyKeys()).isEqualTo(3);
      assertThat(small.engine().health().idempotencyKeysDropped()).isEqualTo(2);
    }
  }
}
