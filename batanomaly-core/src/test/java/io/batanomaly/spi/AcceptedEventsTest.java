package io.batanomaly.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batanomaly.testkit.ServiceBatch;
import org.junit.jupiter.api.Test;

class AcceptedEventsTest {

  @Test
  void serviceScopeGivesTheScopeOfTheEventsOfEachServiceIndex() {
    ServiceBatch events = new ServiceBatch(2)
        .add(0, 1_000, 200).add(1, 1_000, 200).add(0, 2_000, 500).add(1, 2_000, 200);

    assertThat(events.serviceScope(0)).isSameAs(events.scopes[0]);
    assertThat(events.serviceScope(1)).isSameAs(events.scopes[1]);
    assertThatThrownBy(() -> events.serviceScope(2))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessage("no event of the batch has service index 2; the batch has 2 services");
  }
}
