package io.batanomaly.jdbc;

import java.util.IdentityHashMap;
import java.util.Map;

/** The notification tables on a real PostgreSQL server, each test in a schema of its own. */
class PostgresNotificationStoreTest extends NotificationStoreContract {
  private final Map<JdbcStore, String> schemas = new IdentityHashMap<>();

  @Override
  JdbcStore newStore() {
    TestPostgres pg = TestPostgres.get();
    String schema = pg.newSchema();
    JdbcStore store = JdbcStore.builder(pg.dataSource(schema)).build();
    schemas.put(store, schema);
    return store;
  }

  @Override
  JdbcStore reopen(JdbcStore store) {
    String schema = schemas.get(store);
    JdbcStore again = JdbcStore.builder(TestPostgres.get().dataSource(schema)).build();
    schemas.put(again, schema);
    return again;
  }
}
