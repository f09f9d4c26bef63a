package io.batanomaly.notify;

import java.util.Objects;

/**
 * Whose notifications a webhook target or a push subscription receives: one tenant's, or every
 * tenant's. An all-tenant target is an operator's own endpoint (the targets of
 * {@code ANOMALY_WEBHOOK_URLS} are all-tenant); it receives every tenant's anomalies, so it must
 * never belong to one tenant. A tenant's target receives that tenant's notifications only.
 *
 * @param tenant the tenant, or {@code null} for every tenant
 */
public record Audience(String tenant) {
  private static final Audience ALL = new Audience(null);

  /**
   * Checks the audience.
   *
   * @throws IllegalArgumentException if {@code tenant} is blank
   */
  public Audience {
    if (tenant != null && tenant.isBlank()) {
      throw new IllegalArgumentException("a tenant must not be blank, but was '" + tenant + "'");
    }
  }

  /**
   * Returns the audience of one tenant.
   *
   * @param tenant the tenant
   * @return the audience
   * @throws NullPointerException if {@code tenant} is null
   * @throws IllegalArgumentException if {@code tenant} is blank
   */
  public static Audience of(String tenant) {
    return new Audience(Objects.requireNonNull(tenant, "tenant"));
  }

  /**
   * Returns the audience of every tenant.
   *
   * @return the audience
   */
  public static Audience allTenants() {
    return ALL;
  }

  /** @return whether this is every tenant */
  public boolean isAllTenants() {
    return tenant == null;
  }

  /**
   * Tells whether a tenant's notifications go to this audience.
   *
   * @param notificationTenant the tenant of the notification
   * @return {@code true} for every tenant's audience and for the tenant's own
   */
  public boolean includes(String notificationTenant) {
    return tenant == null || tenant.equals(notificationTenant);
  }

  @Override
  public String toString() {
    return tenant == null ? "all tenants" : "tenant " + tenant;
  }
}
