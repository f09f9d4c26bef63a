package io.batanomaly.api;

import static io.batanomaly.api.AnomalyStatus.DISMISSED;
import static io.batanomaly.api.AnomalyStatus.OPEN;
import static io.batanomaly.api.AnomalyStatus.RESOLVED;
import static io.batanomaly.api.AnomalyStatus.VERIFYING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AnomalyTransitionsTest {

  /** The table of the design, written out cell by cell: (from, to, origin) that are allowed. */
  private static final Set<List<Object>> ALLOWED = Set.of(
      List.of(OPEN, VERIFYING, Origin.VERIFICATION),     // verify
      List.of(OPEN, RESOLVED, Origin.USER),              // PATCH
      List.of(OPEN, DISMISSED, Origin.USER),             // PATCH
      List.of(OPEN, RESOLVED, Origin.DETECTOR),          // condition cleared
      List.of(VERIFYING, OPEN, Origin.VERIFICATION),     // job: still holds / failed
      List.of(VERIFYING, RESOLVED, Origin.VERIFICATION), // job: cleared
      List.of(RESOLVED, OPEN, Origin.USER),              // PATCH reopen
      List.of(DISMISSED, OPEN, Origin.USER));            // PATCH reopen

  static Stream<Arguments> everyCellAndOrigin() {
    List<Arguments> all = new ArrayList<>();
    for (AnomalyStatus from : AnomalyStatus.values()) {
      for (AnomalyStatus to : AnomalyStatus.values()) {
        for (Origin origin : Origin.values()) {
          all.add(Arguments.of(from, to, origin));
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} -> {1} by {2}")
  @MethodSource("everyCellAndOrigin")
  void allowsExactlyTheChangesOfTheTable(AnomalyStatus from, AnomalyStatus to, Origin origin) {
    boolean expected = ALLOWED.contains(List.of(from, to, origin));
    assertThat(AnomalyTransitions.isAllowed(from, to, origin)).isEqualTo(expected);
    if (expected) {
      assertThatCode(() -> AnomalyTransitions.check("anom-1", from, to, origin))
          .doesNotThrowAnyException();
    } else {
      assertThatThrownBy(() -> AnomalyTransitions.check("anom-1", from, to, origin))
          .isInstanceOfSatisfying(IllegalTransitionException.class, e -> {
            assertThat(e.current()).isEqualTo(from);
            assertThat(e.requested()).isEqualTo(to);
            assertThat(e.httpStatus()).isEqualTo(409);
            assertThat(e.getMessage()).contains("anom-1", from.name(), to.name());
          });
    }
  }

  @Test
  void aPersonCanNeverSetOrLeaveVerifying() {
    for (AnomalyStatus s : AnomalyStatus.values()) {
      assertThat(AnomalyTransitions.isAllowed(s, VERIFYING, Origin.USER)).isFalse();
      assertThat(AnomalyTransitions.isAllowed(VERIFYING, s, Origin.USER)).isFalse();
    }
  }

  @Test
  void conflictMessagesExplainWhy() {
    assertThat(new IllegalTransitionException("a", OPEN, OPEN).getMessage())
        .isEqualTo("Anomaly 'a' cannot move from OPEN to OPEN: it is already OPEN");
    assertThat(new IllegalTransitionException("a", VERIFYING, RESOLVED).getMessage())
        .endsWith("a verification is in progress and will set RESOLVED or OPEN");
    assertThat(new IllegalTransitionException("a", RESOLVED, VERIFYING).getMessage())
        .endsWith("only an OPEN anomaly can be verified");
    assertThat(new IllegalTransitionException("a", DISMISSED, RESOLVED).getMessage())
        .endsWith("a closed anomaly can only be reopened (OPEN)");
  }

  @Test
  void onlyOpenAndVerifyingAreActive() {
    assertThat(OPEN.isActive()).isTrue();
    assertThat(VERIFYING.isActive()).isTrue();
    assertThat(RESOLVED.isActive()).isFalse();
    assertThat(DISMISSED.isActive()).isFalse();
  }

  @Test
  void parsesStatusNamesIgnoringCaseAndRejectsOthersNamingTheValue() {
    assertThat(AnomalyStatus.parse(" resolved ")).isEqualTo(RESOLVED);
    assertThatThrownBy(() -> AnomalyStatus.parse("CLOSED"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'CLOSED'")
        .hasMessageContaining("OPEN, VERIFYING, RESOLVED, DISMISSED");
    assertThatThrownBy(() -> AnomalyStatus.parse(null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
