package io.batanomaly.jdbc;

import java.util.IdentityHashMap;
import java.util.Map;

/** The notification tables on a real SQLite file, reopened through a new data source. */
class SqliteNotificationStoreTest extends NotificationStoreContract {
  private final Map<JdbcStore, String> urls = new IdentityHashMap<>();

  @Override
  JdbcStore newStore() {
    String url = SqliteFiles.newUrl();
    JdbcStore store = JdbcStore.builder(SqliteFiles.dataSource(url)).build();
    urls.put(store, url);
    return store;
  }

  @Override
  JdbcStore reopen(JdbcStore store) {
    String url = urls.get(store);
    JdbcStore again = JdbcStore.builder(SqliteFiles.dataSource(url)).build();
    urls.put(again, url);
    return again;
  }
}
