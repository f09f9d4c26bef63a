package io.batanomaly.spring.boot;

import io.batanomaly.api.http.ApiPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashSet;
import java.util.Set;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The default {@link ApiPrincipalResolver} under Spring Security: the authenticated principal
 * of the request's security context, with its authorities read as roles and tenants.
 *
 * <ul>
 *   <li>{@code ROLE_ADMIN} is the {@code ADMIN} role the endpoints require; any other
 *       {@code ROLE_<name>} is the role {@code <name>}.</li>
 *   <li>{@code TENANT_<id>} lets the principal act for tenant {@code <id>} (the id as written,
 *       case kept); {@code TENANT_*} for every tenant.</li>
 * </ul>
 *
 * <p>No authentication, or an anonymous one, is no principal: the endpoints answer 401.
 * Thread-safe.
 */
public final class SpringSecurityPrincipalResolver implements ApiPrincipalResolver {

  /** The prefix of authorities that name a role. */
  public static final String ROLE_PREFIX = "ROLE_";

  /** The prefix of authorities that name a tenant. */
  public static final String TENANT_PREFIX = "TENANT_";

  @Override
  public ApiPrincipal resolve(HttpServletRequest request) {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    if (auth == null || !auth.isAuthenticated() || auth instanceof AnonymousAuthenticationToken
        || auth.getName() == null || auth.getName().isBlank()) {
      return null;
    }
    Set<String> roles = new LinkedHashSet<>();
    Set<String> tenants = new LinkedHashSet<>();
    for (GrantedAuthority a : auth.getAuthorities()) {
      String authority = a.getAuthority();
      if (authority == null) {
        continue;
      }
      if (authority.startsWith(ROLE_PREFIX) && authority.length() > ROLE_PREFIX.length()) {
        roles.add(authority.substring(ROLE_PREFIX.length()));
      } else if (authority.startsWith(TENANT_PREFIX)
          && authority.length() > TENANT_PREFIX.length()) {
        tenants.add(authority.substring(TENANT_PREFIX.length()));
      }
    }
    return ApiPrincipal.of(auth.getName(), tenants, roles);
  }
}
