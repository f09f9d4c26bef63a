package io.batanomaly.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyPage;
import io.batanomaly.internal.InMemoryAnomalyRepository;
import io.batanomaly.spi.AnomalyRepository;
import io.batanomaly.testkit.ScriptedDetector;
import io.batanomaly.testkit.TriageFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A repository that fails (a database that is down): findings wait in the bounded buffer, the
 * store is called once per outage rather than once per finding, the health snapshot says so,
 * and the findings are stored in order once it answers again.
 */
class StoreUnavailableTest {

  /** The in-memory repository behind a switch that makes every call fail. */
  static final class SwitchedRepository implements AnomalyRepository {
    final InMemoryAnomalyRepository delegate =
        new InMemoryAnomalyRepository(1000, Duration.ofDays(1));
    final AtomicInteger calls = new AtomicInteger();
    volatile boolean down;

    private void check() {
      calls.incrementAndGet();
      if (down) {
        throw new IllegalStateException("connection refused");
      }
    }

    @Override
    public void insert(Anomaly anomaly) {
      check();
      delegate.insert(anomaly);
    }

    @Override
    public boolean replace(Anomaly expected, Anomaly updated) {
      check();
      return delegate.replace(expected, updated);
    }

    @Override
    public Optional<Anomaly> find(String tenant, String id) {
      check();
      return delegate.find(tenant, id);
    }

    @Override
    public List<Anomaly> list(String tenant, String type, Instant detectedSince) {
      check();
      return delegate.list(tenant, type, detectedSince);
    }

    @Override
    public AnomalyPage<Anomaly> page(String tenant, String type, Instant since, int p, int s) {
      check();
      return delegate.page(tenant, type, since, p, s);
    }

    @Override
    public Optional<Anomaly> findActive(String tenant, String type, String subject) {
      check();
      return delegate.findActive(tenant, type, subject);
    }
  }

  @Test
  void findingsWaitInTheBufferAndAreStoredInOrderOnceTheStoreAnswers() {
    SwitchedRepository repository = new SwitchedRepository();
    AnomalyConfig config = AnomalyConfig.fromMap(Map.of("ANOMALY_STORE_BUFFER", "3"));
    try (TriageFixture f = TriageFixture.builder().repository(repository).config(config)
        .build()) {
      Anomaly a = f.open("acme", "a");
      repository.down = true;
      int before = repository.calls.get();
      for (String subject : List.of("a", "b", "a", "c", "d")) {
        f.detector().fire(ScriptedDetector.finding("acme", subject).build());
      }
      assertThatCode(() -> f.engine().tick()).doesNotThrowAnyException();
      // one failed write marks the store down; the retry probe of the tick is the other call
      assertThat(repository.calls.get() - before).isLessThanOrEqualTo(2);
      assertThat(f.engine().health().storeAvailable()).isFalse();
      assertThat(f.engine().health().findingsBuffered()).isEqualTo(3);
      assertThat(f.engine().health().findingsOverflowed()).isEqualTo(2);

      repository.down = false;
      f.engine().tick();
      assertThat(f.engine().health().storeAvailable()).isTrue();
      assertThat(f.engine().health().findingsBuffered()).isZero();
      assertThat(f.all("acme")).extracting(Anomaly::subject).containsExactlyInAnyOrder("a", "b");
      assertThat(f.triage().get("acme", a.id()).occurrences()).isEqualTo(3);
    }
  }
}
