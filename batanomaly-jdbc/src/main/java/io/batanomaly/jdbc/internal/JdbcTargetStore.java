package io.batanomaly.jdbc.internal;

import io.batanomaly.notify.Audience;
import io.batanomaly.notify.PushSubscription;
import io.batanomaly.notify.PushTarget;
import io.batanomaly.notify.TargetStore;
import io.batanomaly.notify.WebhookTarget;
import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The {@link TargetStore} in {@code batanomaly_webhook_target} and
 * {@code batanomaly_push_subscription}; a {@code NULL} tenant is every tenant. Thread-safe.
 */
public final class JdbcTargetStore implements TargetStore {
  private final Sql sql;

  /**
   * Creates the store.
   *
   * @param sql the database
   */
  public JdbcTargetStore(Sql sql) {
    this.sql = sql;
  }

  @Override
  public void putWebhook(WebhookTarget t) {
    sql.update("INSERT INTO batanomaly_webhook_target (id, tenant, url, secret)"
        + " VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET tenant = excluded.tenant,"
        + " url = excluded.url, secret = excluded.secret", t.id(), t.audience().tenant(),
        t.url().toString(), t.secret());
  }

  @Override
  public boolean removeWebhook(String id) {
    return sql.update("DELETE FROM batanomaly_webhook_target WHERE id = ?", id) == 1;
  }

  @Override
  public Optional<WebhookTarget> webhook(String id) {
    return sql.query("SELECT id, tenant, url, secret FROM batanomaly_webhook_target"
        + " WHERE id = ?", JdbcTargetStore::webhook, id).stream().findFirst();
  }

  @Override
  public List<WebhookTarget> webhooks(String tenant) {
    return sql.query("SELECT id, tenant, url, secret FROM batanomaly_webhook_target"
        + " WHERE tenant = ? OR tenant IS NULL ORDER BY id", JdbcTargetStore::webhook, tenant);
  }

  @Override
  public void putSubscription(PushTarget t) {
    PushSubscription s = t.subscription();
    sql.update("INSERT INTO batanomaly_push_subscription (endpoint, tenant, p256dh, auth)"
        + " VALUES (?, ?, ?, ?) ON CONFLICT (endpoint) DO UPDATE SET tenant = excluded.tenant,"
        + " p256dh = excluded.p256dh, auth = excluded.auth", s.endpoint().toString(),
        t.audience().tenant(), s.p256dh(), s.auth());
  }

  @Override
  public boolean removeSubscription(URI endpoint) {
    return sql.update("DELETE FROM batanomaly_push_subscription WHERE endpoint = ?",
        endpoint.toString()) == 1;
  }

  @Override
  public Optional<PushTarget> subscription(URI endpoint) {
    return sql.query("SELECT endpoint, tenant, p256dh, auth FROM batanomaly_push_subscription"
        + " WHERE endpoint = ?", JdbcTargetStore::push, endpoint.toString()).stream()
        .findFirst();
  }

  @Override
  public List<PushTarget> subscriptions(String tenant) {
    return sql.query("SELECT endpoint, tenant, p256dh, auth FROM batanomaly_push_subscription"
        + " WHERE tenant = ? OR tenant IS NULL ORDER BY endpoint", JdbcTargetStore::push,
        tenant);
  }

  private static Audience audience(String tenant) {
    return tenant == null ? Audience.allTenants() : Audience.of(tenant);
  }

  private static WebhookTarget webhook(ResultSet rs) throws SQLException {
    return new WebhookTarget(rs.getString(1), audience(rs.getString(2)),
        URI.create(rs.getString(3)), rs.getString(4));
  }

  private static PushTarget push(ResultSet rs) throws SQLException {
    return new PushTarget(audience(rs.getString(2)),
        new PushSubscription(URI.create(rs.getString(1)), rs.getString(3), rs.getString(4)));
  }
}
