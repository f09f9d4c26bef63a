package io.batanomaly.examples.embedding;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import io.batanomaly.BatchingIngester;
import java.io.IOException;
import java.time.InstantSource;
import java.util.Objects;

/**
 * Turns every request a JDK {@code HttpServer} context handles into an {@link
 * io.batanomaly.AuditEvent}: tenant from the {@code X-Tenant-ID} header (or a default), the
 * configured service, method, response status, and the caller (the authenticated principal,
 * else the client address). A request whose handler throws is recorded as a 500.
 *
 * <p>The same few lines fit a servlet filter or any framework's interceptor: build the event
 * after the handler ran, offer it to a {@link BatchingIngester}, never block on it.
 */
public final class AuditFilter extends Filter {

  /** The header the tenant is read from. */
  public static final String TENANT_HEADER = "X-Tenant-ID";

  private final String service;
  private final String defaultTenant;
  private final BatchingIngester ingester;
  private final InstantSource clock;

  /**
   * Creates a filter.
   *
   * @param service the service name events carry
   * @param defaultTenant the tenant of requests without an {@value #TENANT_HEADER} header
   * @param ingester where events go
   * @param clock the clock that stamps events; the engine's clock in tests
   * @throws NullPointerException if an argument is null
   */
  public AuditFilter(String service, String defaultTenant, BatchingIngester ingester,
      InstantSource clock) {
    this.service = Objects.requireNonNull(service, "service");
    this.defaultTenant = Objects.requireNonNull(defaultTenant, "defaultTenant");
    this.ingester = Objects.requireNonNull(ingester, "ingester");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
    try {
      chain.doFilter(exchange);
    } catch (IOException | RuntimeException e) {
      record(exchange, 500);
      throw e;
    }
    record(exchange, Math.max(0, exchange.getResponseCode()));
  }

  private void record(HttpExchange exchange, int status) {
    String tenant = exchange.getRequestHeaders().getFirst(TENANT_HEADER);
    HttpPrincipal principal = exchange.getPrincipal();
    String caller = principal != null ? principal.getUsername()
        : exchange.getRemoteAddress().getAddress().getHostAddress();
    ingester.offer(io.batanomaly.AuditEvent.builder()
        .tenant(tenant == null || tenant.isBlank() ? defaultTenant : tenant)
        .service(service)
        .timestamp(clock.instant())
        .method(exchange.getRequestMethod())
        .status(status)
        .identifier(caller)
        .eventType("http.request")
        .attribute("path", exchange.getRequestURI().getPath())
        .build());
  }

  @Override
  public String description() {
    return "records every request of service " + service + " as an audit event";
  }
}
