package io.batanomaly.jdbc;

import io.batanomaly.spi.AnomalyStore;
import io.batanomaly.testkit.AnomalyStoreContractKit;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The store contract kit on a real SQLite file; a reopened store is a new {@link JdbcStore} on a
 * new data source over the same file, as a restarted process or a second one would open it.
 */
class SqliteStoreContractTest extends AnomalyStoreContractKit {

  private final Map<AnomalyStore, String> urls = new IdentityHashMap<>();
  private final Map<AnomalyStore, Duration> retentions = new IdentityHashMap<>();

  @Override
  protected AnomalyStore newStore(Duration retention) {
    String url = SqliteFiles.newUrl();
    JdbcStore store = JdbcStore.builder(SqliteFiles.dataSource(url)).retention(retention)
        .build();
    urls.put(store, url);
    retentions.put(store, retention);
    return store;
  }

  @Override
  protected AnomalyStore reopen(AnomalyStore store) {
    String url = urls.get(store);
    JdbcStore again = JdbcStore.builder(SqliteFiles.dataSource(url))
        .retention(retentions.get(store)).build();
    urls.put(again, url);
    retentions.put(again, retentions.get(store));
    return again;
  }
}
