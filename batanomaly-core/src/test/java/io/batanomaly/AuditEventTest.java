package io.batanomaly;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AuditEventTest {
  private static final long T = 1_795_219_200_000L;

  @Test
  void ofBuildsTheSameEventAsTheBuilder() {
    AuditEvent built = AuditEvent.builder().tenant("acme").service("billing").epochMillis(T)
        .method(" delete ").status(204).identifier("10.0.0.7").build();
    AuditEvent made = AuditEvent.of("acme", "billing", T, " delete ", 204, "10.0.0.7");
    assertThat(made).isEqualTo(built);
    assertThat(made.method()).isEqualTo("DELETE");
    assertThat(made.isDelete()).isTrue();
    assertThat(made.eventType()).isNull();
    assertThat(made.hasExecutionTime()).isFalse();
    assertThat(made.attributes()).isEmpty();
  }

  @Test
  void keepsAnUpperCaseMethodAsTheSameString() {
    String get = new String("GET");
    assertThat(AuditEvent.of("a", "b", T, get, 200, null).method()).isSameAs(get);
    assertThat(AuditEvent.builder().method("Get").build().method()).isEqualTo("GET");
  }

  @Test
  void takesTheExecutionTimeInNanosAsAPrimitive() {
    AuditEvent nanos = AuditEvent.builder().executionTimeNanos(4_200_000).build();
    AuditEvent duration = AuditEvent.builder().executionTime(Duration.ofNanos(4_200_000)).build();
    assertThat(nanos).isEqualTo(duration);
    assertThat(nanos.executionTimeNanos()).isEqualTo(4_200_000);
    assertThat(AuditEvent.builder().executionTimeNanos(-5).build().hasExecutionTime()).isFalse();
  }

  @Test
  void measuresTheLongestStringFieldWhenAsked() {
    AuditEvent e = AuditEvent.builder().tenant("acme").service("billing").identifier("user-12345")
        .policyModule("m").build();
    assertThat(e.longestFieldLength()).isEqualTo(10);
    assertThat(e.longestFieldLength()).as("measured once, then kept").isEqualTo(10);
    assertThat(AuditEvent.builder().build().longestFieldLength()).isZero();
  }
}
