package io.batanomaly.jdbc;

import io.batanomaly.spi.AnomalyStore;
import io.batanomaly.testkit.AnomalyStoreContractKit;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The store contract kit on a real PostgreSQL server, each store in a schema of its own; a
 * reopened store is a new {@link JdbcStore} on a new data source over the same schema, as a
 * second instance of the host would open it.
 */
class PostgresStoreContractTest extends AnomalyStoreContractKit {

  private final Map<AnomalyStore, String> schemas = new IdentityHashMap<>();
  private final Map<AnomalyStore, Duration> retentions = new IdentityHashMap<>();

  @Override
  protected AnomalyStore newStore(Duration retention) {
    TestPostgres pg = TestPostgres.get();
    String schema = pg.newSchema();
    JdbcStore store = JdbcStore.builder(pg.dataSource(schema)).retention(retention).build();
    schemas.put(store, schema);
    retentions.put(store, retention);
    return store;
  }

  @Override
  protected AnomalyStore reopen(AnomalyStore store) {
    String schema = schemas.get(store);
    JdbcStore again = JdbcStore.builder(TestPostgres.get().dataSource(schema))
        .retention(retentions.get(store)).build();
    schemas.put(again, schema);
    retentions.put(again, retentions.get(store));
    return again;
  }
}
