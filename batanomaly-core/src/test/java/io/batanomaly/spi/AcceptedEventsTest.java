package io.batanomaly.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batanomaly.AuditEvent;
import io.batanomaly.Outcome;
import org.junit.jupiter.api.Test;

class AcceptedEventsTest {

  /** A scope known by its name only. */
  record Named(String service) implements ServiceScope {
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

  /** Events whose only content is their service; implements no default method. */
  record Services(ServiceScope[] scopes, int[] indexes, int count) implements AcceptedEvents {
    @Override
    public int size() {
      return scopes.length;
    }

    @Override
    public ServiceScope scope(int i) {
      return scopes[i];
    }

    @Override
    public int serviceIndex(int i) {
      return indexes[i];
    }

    @Override
    public int serviceCount() {
      return count;
    }

    @Override
    public long epochMillis(int i) {
      return 0;
    }

    @Override
    public int status(int i) {
      return 0;
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
  }

  @Test
  void serviceScopeGivesTheScopeOfTheEventsOfEachServiceIndex() {
    Named billing = new Named("billing");
    Named search = new Named("search");
    AcceptedEvents events = new Services(new ServiceScope[] {billing, search, billing, search},
        new int[] {0, 1, 0, 1}, 2);

    assertThat(events.serviceScope(0)).isSameAs(billing);
    assertThat(events.serviceScope(1)).isSameAs(search);
    assertThatThrownBy(() -> events.serviceScope(2))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessage("no event of the batch has service index 2; the batch has 2 services");
  }
}
