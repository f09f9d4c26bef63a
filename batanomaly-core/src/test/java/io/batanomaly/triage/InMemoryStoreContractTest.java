package io.batanomaly.triage;

import io.batanomaly.internal.InMemoryAnomalyRepository;
import io.batanomaly.internal.InMemoryIdempotencyStore;
import io.batanomaly.internal.InMemorySuppressionStore;
import io.batanomaly.spi.AnomalyRepository;
import io.batanomaly.spi.AnomalyStore;
import io.batanomaly.spi.IdempotencyStore;
import io.batanomaly.spi.SuppressionStore;
import io.batanomaly.testkit.AnomalyStoreContractKit;
import java.time.Duration;

/** The in-memory store passes the store contract kit, shared by two engines in one process. */
class InMemoryStoreContractTest extends AnomalyStoreContractKit {

  @Override
  protected AnomalyStore newStore(Duration retention) {
    InMemoryAnomalyRepository repository = new InMemoryAnomalyRepository(10_000, retention);
    InMemoryIdempotencyStore idempotency = new InMemoryIdempotencyStore(100_000);
    InMemorySuppressionStore suppressions = new InMemorySuppressionStore();
    return new AnomalyStore() {
      @Override
      public AnomalyRepository repository() {
        return repository;
      }

      @Override
      public IdempotencyStore idempotency() {
        return idempotency;
      }

      @Override
      public SuppressionStore suppressions() {
        return suppressions;
      }
    };
  }
}
