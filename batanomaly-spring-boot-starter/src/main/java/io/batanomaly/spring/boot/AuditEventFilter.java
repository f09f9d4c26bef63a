package io.batanomaly.spring.boot;

import io.batanomaly.AuditEvent;
import io.batanomaly.BatchingIngester;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.time.InstantSource;
import java.util.Objects;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Records each request as an {@link AuditEvent} and offers it to a {@link BatchingIngester},
 * which never makes the request wait: tenant from a header (or a default), the configured
 * service, method, response status (500 when the handler threw), caller (the request's
 * principal, else the client address), event type {@code http.request} and the path as the
 * {@code path} attribute.
 *
 * <p>Registered by the auto-configuration when {@code batanomaly.audit-filter.enabled=true},
 * ahead of Spring Security's filters so that refused requests (the 401s brute-force detection
 * counts) are recorded too. Spring Security's principal is therefore not known here: the caller
 * is the client address unless the servlet container authenticated the request. Thread-safe.
 */
public final class AuditEventFilter extends OncePerRequestFilter {
  private final String service;
  private final String defaultTenant;
  private final String tenantHeader;
  private final BatchingIngester ingester;
  private final InstantSource clock;

  /**
   * Creates a filter.
   *
   * @param service the service events carry
   * @param defaultTenant the tenant of a request without the tenant header
   * @param tenantHeader the header the tenant is read from
   * @param ingester where events go
   * @param clock stamps events; the engine's clock
   * @throws NullPointerException if an argument is null
   */
  public AuditEventFilter(String service, String defaultTenant, String tenantHeader,
      BatchingIngester ingester, InstantSource clock) {
    this.service = Objects.requireNonNull(service, "service");
    this.defaultTenant = Objects.requireNonNull(defaultTenant, "defaultTenant");
    this.tenantHeader = Objects.requireNonNull(tenantHeader, "tenantHeader");
    this.ingester = Objects.requireNonNull(ingester, "ingester");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
      FilterChain chain) throws ServletException, IOException {
    try {
      chain.doFilter(request, response);
    } catch (IOException | ServletException | RuntimeException e) {
      record(request, 500);
      throw e;
    }
    record(request, response.getStatus());
  }

  private void record(HttpServletRequest request, int status) {
    String tenant = request.getHeader(tenantHeader);
    Principal principal = request.getUserPrincipal();
    String caller = principal != null && principal.getName() != null
        ? principal.getName() : request.getRemoteAddr();
    String path = request.getRequestURI().substring(request.getContextPath().length());
    ingester.offer(AuditEvent.builder()
        .tenant(tenant == null || tenant.isBlank() ? defaultTenant : tenant.trim())
        .service(service)
        .timestamp(clock.instant())
        .method(request.getMethod())
        .status(status >= 100 && status <= 599 ? status : 0)
        .identifier(caller)
        .eventType("http.request")
        .attribute("path", path)
        .build());
  }
}
