package io.batanomaly.testkit;

import io.batanomaly.AuditEvent;
import io.batanomaly.Outcome;
import io.batanomaly.spi.AcceptedEvents;
import io.batanomaly.spi.Attachment;
import io.batanomaly.spi.ServiceScope;
import io.batanomaly.spi.TenantScope;
import java.util.ArrayList;
import java.util.List;

/**
 * The accepted events of a batch for testing a batch detector, or a helper of one, without an
 * engine: each event has a service index, a time and an HTTP status, and nothing else (no
 * method, identifier or policy fields). Service {@code k} has the scope {@code scopes[k]},
 * named {@code service-k}, which holds no state. It leaves {@link AcceptedEvents#serviceScope}
 * to the interface's default.
 */
public final class ServiceBatch implements AcceptedEvents {
  /** The number of services, {@link #serviceCount()}. */
  public final int services;
  /** The scope of each service index. */
  public final ServiceScope[] scopes;
  private final List<long[]> rows = new ArrayList<>();

  /**
   * Creates an empty batch of {@code services} services.
   *
   * @param services the number of services
   */
  public ServiceBatch(int services) {
    this.services = services;
    this.scopes = new ServiceScope[services];
    for (int k = 0; k < services; k++) {
      scopes[k] = new Scope("service-" + k);
    }
  }

  /**
   * Adds an event.
   *
   * @param service its service index
   * @param time its time, epoch milliseconds
   * @param status its HTTP status, 0 for none
   * @return this batch
   */
  public ServiceBatch add(int service, long time, int status) {
    rows.add(new long[] {service, time, status});
    return this;
  }

  @Override
  public int size() {
    return rows.size();
  }

  @Override
  public ServiceScope scope(int i) {
    return scopes[serviceIndex(i)];
  }

  @Override
  public int serviceIndex(int i) {
    return (int) rows.get(i)[0];
  }

  @Override
  public int serviceCount() {
    return services;
  }

  @Override
  public long epochMillis(int i) {
    return rows.get(i)[1];
  }

  @Override
  public int status(int i) {
    return (int) rows.get(i)[2];
  }

  @Override
  public boolean isDelete(int i) {
    return false;
  }

  @Override
  public String method(int i) {
    return null;
  }

  @Override
  public String identifier(int i) {
    return null;
  }

  @Override
  public String eventType(int i) {
    return null;
  }

  @Override
  public String policyModule(int i) {
    return null;
  }

  @Override
  public String policyFunction(int i) {
    return null;
  }

  @Override
  public String versionId(int i) {
    return null;
  }

  @Override
  public Outcome outcome(int i) {
    return null;
  }

  @Override
  public long executionTimeNanos(int i) {
    return AuditEvent.NO_EXECUTION_TIME;
  }

  @Override
  public AuditEvent event(int i) {
    throw new UnsupportedOperationException();
  }

  /**
   * A service with no state.
   *
   * @param service its name
   */
  public record Scope(String service) implements ServiceScope {
    @Override
    public TenantScope tenantScope() {
      throw new UnsupportedOperationException();
    }

    @Override
    public <T> T get(Attachment<T> attachment) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long lastSeenMillis() {
      return 0;
    }

    @Override
    public long firstSeenMillis() {
      return 0;
    }
  }
}
