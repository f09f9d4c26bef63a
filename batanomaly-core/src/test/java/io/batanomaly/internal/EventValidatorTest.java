package io.batanomaly.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.AuditEvent;
import io.batanomaly.RejectReason;
import org.junit.jupiter.api.Test;

class EventValidatorTest {
  private static final long NOW = 1_800_000_000_000L;
  private final EventValidator validator = new EventValidator(16, 60_000, 86_400_000);

  private static AuditEvent event(String tenant, String service) {
    return AuditEvent.builder().tenant(tenant).service(service).epochMillis(NOW).status(200)
        .build();
  }

  @Test
  void rejectsTenantsAndServicesMadeOnlyOfWhitespaceOfAnyKind() {
    for (String blank : new String[] {"", " ", "\t", "\u2003", "\u3000 ", "\u001F", "  \n"}) {
      assertThat(validator.check(event(blank, "billing"), NOW)).as("tenant '%s'", blank)
          .isEqualTo(RejectReason.MISSING_TENANT);
      assertThat(validator.check(event("acme", blank), NOW)).as("service '%s'", blank)
          .isEqualTo(RejectReason.MISSING_SERVICE);
    }
  }

  @Test
  void acceptsNamesStartingWithWhitespaceOrNonAsciiWhenSomethingFollows() {
    for (String name : new String[] {"a", " a", "\u2003b", "é", "\u00A0", "~x", "\u007Fz"}) {
      assertThat(validator.check(event(name, name), NOW)).as("'%s'", name).isNull();
    }
  }

  @Test
  void rejectsAnEventWhoseLongestFieldExceedsTheLimit() {
    AuditEvent e = AuditEvent.builder().tenant("acme").service("billing").epochMillis(NOW)
        .identifier("x".repeat(17)).build();
    assertThat(validator.check(e, NOW)).isEqualTo(RejectReason.FIELD_TOO_LONG);
    assertThat(validator.describe(RejectReason.FIELD_TOO_LONG, e, NOW, 0, NOW))
        .contains("identifier had 17");
  }
}
