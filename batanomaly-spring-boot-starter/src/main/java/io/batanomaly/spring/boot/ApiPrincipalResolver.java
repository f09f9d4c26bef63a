package io.batanomaly.spring.boot;

import io.batanomaly.api.http.ApiPrincipal;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Tells the triage endpoints who is calling: the name, the tenants the caller may act for and
 * its roles ({@code ADMIN} is required). The library does not own identity: with Spring
 * Security the default reads the authenticated principal's authorities
 * ({@link SpringSecurityPrincipalResolver}); declare a bean of this type to map identities your
 * way.
 */
@FunctionalInterface
public interface ApiPrincipalResolver {

  /**
   * Returns the caller of a request.
   *
   * @param request the request
   * @return the caller, or {@code null} when the request is not authenticated (the endpoints
   *     answer 401)
   */
  ApiPrincipal resolve(HttpServletRequest request);
}
