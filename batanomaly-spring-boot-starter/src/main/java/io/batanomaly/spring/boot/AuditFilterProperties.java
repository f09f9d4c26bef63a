package io.batanomaly.spring.boot;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code batanomaly.audit-filter.*} properties: the opt-in servlet filter that records each
 * request as an audit event.
 */
@ConfigurationProperties("batanomaly.audit-filter")
public class AuditFilterProperties {
  private boolean enabled;
  private String service;
  private String defaultTenant = "default";
  private String tenantHeader = "X-Tenant-ID";
  private int batchSize = 500;
  private int capacity = 50_000;
  private Duration maxDelay = Duration.ofSeconds(1);
  private int order = -110;

  /** @return whether the filter records requests; off unless set */
  public boolean isEnabled() {
    return enabled;
  }

  /** @param enabled whether the filter records requests */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** @return the service events carry; {@code spring.application.name} when not set */
  public String getService() {
    return service;
  }

  /** @param service the service events carry */
  public void setService(String service) {
    this.service = service;
  }

  /** @return the tenant of requests without the tenant header */
  public String getDefaultTenant() {
    return defaultTenant;
  }

  /** @param defaultTenant the tenant of requests without the tenant header */
  public void setDefaultTenant(String defaultTenant) {
    this.defaultTenant = defaultTenant;
  }

  /** @return the header the tenant is read from */
  public String getTenantHeader() {
    return tenantHeader;
  }

  /** @param tenantHeader the header the tenant is read from */
  public void setTenantHeader(String tenantHeader) {
    this.tenantHeader = tenantHeader;
  }

  /** @return events per batch handed to the engine */
  public int getBatchSize() {
    return batchSize;
  }

  /** @param batchSize events per batch handed to the engine */
  public void setBatchSize(int batchSize) {
    this.batchSize = batchSize;
  }

  /** @return events the buffer holds; beyond it events are dropped and counted */
  public int getCapacity() {
    return capacity;
  }

  /** @param capacity events the buffer holds */
  public void setCapacity(int capacity) {
    this.capacity = capacity;
  }

  /** @return the longest time an event waits for its batch */
  public Duration getMaxDelay() {
    return maxDelay;
  }

  /** @param maxDelay the longest time an event waits for its batch */
  public void setMaxDelay(Duration maxDelay) {
    this.maxDelay = maxDelay;
  }

  /** @return the filter's order; the default runs it ahead of Spring Security's (-100) */
  public int getOrder() {
    return order;
  }

  /** @param order the filter's order */
  public void setOrder(int order) {
    this.order = order;
  }
}
