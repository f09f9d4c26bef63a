package io.batanomaly.api.http;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who sent a request, as the host established it: the library does not own identity. The host
 * authenticates the bearer token (or whatever it uses) and hands the result to
 * {@link AnomalyHttpHandler} with each request; a request without a principal is answered 401.
 *
 * @param name the principal's name, used in messages
 * @param tenants the tenants the principal may act for; {@link #ANY_TENANT} among them means every
 *     tenant
 * @param roles the principal's roles; the anomaly endpoints require {@link #ADMIN}, compared
 *     ignoring case
 */
public record ApiPrincipal(String name, Set<String> tenants, Set<String> roles) {

  /** The role every anomaly endpoint requires. */
  public static final String ADMIN = "ADMIN";

  /** The entry of {@link #tenants()} that lets a principal act for every tenant. */
  public static final String ANY_TENANT = "*";

  /**
   * Creates a principal, copying the sets.
   *
   * @throws IllegalArgumentException if {@code name} is null or blank, or a tenant or role is
   *     null or blank
   * @throws NullPointerException if {@code tenants} or {@code roles} is null
   */
  public ApiPrincipal {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank, but was '" + name + "'");
    }
    tenants = copy("tenant", tenants);
    roles = copy("role", roles);
  }

  private static Set<String> copy(String what, Set<String> values) {
    Objects.requireNonNull(values, what + "s");
    Set<String> copy = new TreeSet<>();
    for (String v : values) {
      if (v == null || v.isBlank()) {
        throw new IllegalArgumentException(
            "a " + what + " must not be blank, but was '" + v + "' in " + values);
      }
      copy.add(v);
    }
    return Set.copyOf(copy);
  }

  /**
   * Creates a principal that may act for the given tenants.
   *
   * @param name the principal's name
   * @param tenants the tenants, or {@link #ANY_TENANT}
   * @param roles the roles
   * @return the principal
   * @throws IllegalArgumentException if a value is blank
   */
  public static ApiPrincipal of(String name, Set<String> tenants, Set<String> roles) {
    return new ApiPrincipal(name, tenants, roles);
  }

  /**
   * Tells whether this principal may act for a tenant.
   *
   * @param tenant the tenant named by the request's {@code X-Tenant-ID}
   * @return {@code true} if the tenant is among {@link #tenants()} or they contain
   *     {@link #ANY_TENANT}
   */
  public boolean mayActFor(String tenant) {
    return tenants.contains(ANY_TENANT) || tenants.contains(tenant);
  }

  /**
   * Tells whether this principal has a role, ignoring case.
   *
   * @param role the role, such as {@link #ADMIN}
   * @return {@code true} if one of {@link #roles()} equals it ignoring case
   */
  public boolean hasRole(String role) {
    String wanted = role.toUpperCase(Locale.ROOT);
    for (String r : roles) {
      if (r.toUpperCase(Locale.ROOT).equals(wanted)) {
        return true;
      }
    }
    return false;
  }
}
