package io.batanomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batanomaly.api.Anomaly;
import io.batanomaly.spi.Detector;
import io.batanomaly.spi.DetectorContext;
import io.batanomaly.spi.DetectorProvider;
import io.batanomaly.spi.FindingSink;
import io.batanomaly.spi.Reevaluation;
import io.batanomaly.spi.ServiceScope;
import io.batanomaly.spi.TenantScope;
import io.batanomaly.testkit.ManualClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class VersionActivationTest {

  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  /** Records the declarations it is told about; optionally throws on each. */
  static final class Declarations implements DetectorProvider {
    final String name;
    final boolean throwing;
    final List<String> seen = new ArrayList<>();

    Declarations(String name, boolean throwing) {
      this.name = name;
      this.throwing = throwing;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Detector create(DetectorContext context) {
      return new Detector() {
        @Override
        public Set<String> types() {
          return Set.of(name.toUpperCase(java.util.Locale.ROOT));
        }

        @Override
        public void observe(AuditEvent event, ServiceScope scope, FindingSink sink) {}

        @Override
        public void onVersionActivated(TenantScope tenant, String module, String function,
            String versionId, long atMillis) {
          if (throwing) {
            throw new IllegalStateException("cannot take declarations");
          }
          seen.add(tenant.tenant() + ":" + module + "/" + function + "@" + versionId + "@"
              + Instant.ofEpochMilli(atMillis));
        }

        @Override
        public Reevaluation reevaluate(Anomaly anomaly, long nowMillis) {
          return Reevaluation.cleared("nothing to hold", Map.of());
        }
      };
    }
  }

  private static AnomalyEngine engine(ManualClock clock, AnomalyConfig config,
      DetectorProvider... providers) {
    AnomalyEngine.Builder b = AnomalyEngine.builder().config(config).clock(clock)
        .discoverDetectors(false).autoTick(false);
    for (DetectorProvider p : providers) {
      b.detector(p);
    }
    return b.build();
  }

  @Test
  void aDeclarationReachesEveryDetectorAtTheEngineClockEvenWhenOneThrows() {
    ManualClock clock = new ManualClock(T0);
    Declarations broken = new Declarations("broken", true);
    Declarations first = new Declarations("first", false);
    Declarations second = new Declarations("second", false);
    try (AnomalyEngine engine = engine(clock, AnomalyConfig.defaults(), first, broken, second)) {
      engine.activateVersion("acme", "payments", "authorize", "v2");
      assertThat(first.seen).containsExactly("acme:payments/authorize@v2@" + T0);
      assertThat(second.seen).containsExactly("acme:payments/authorize@v2@" + T0);
      assertThat(engine.health().detectorErrors()).isEqualTo(1);
    }
  }

  @Test
  void aDeclarationForANewTenantBeyondTheTenantBudgetIsRefused() {
    ManualClock clock = new ManualClock(T0);
    AnomalyConfig oneTenant = AnomalyConfig.defaults().toBuilder()
        .set(AnomalySettings.MAX_TENANTS, 1).build();
    Declarations d = new Declarations("first", false);
    try (AnomalyEngine engine = engine(clock, oneTenant, d)) {
      engine.activateVersion("acme", "payments", "authorize", "v2");
      assertThatThrownBy(() -> engine.activateVersion("globex", "payments", "authorize", "v2"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("ANOMALY_MAX_TENANTS").hasMessageContaining("'globex'");
      assertThat(d.seen).hasSize(1);
    }
  }

  @Test
  void blankArgumentsAreRejectedWithTheirNameAndValue() {
    ManualClock clock = new ManualClock(T0);
    try (AnomalyEngine engine = engine(clock, AnomalyConfig.defaults())) {
      assertThatThrownBy(() -> engine.activateVersion("", "payments", "authorize", "v2"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("tenant must not be blank, but was ''");
      assertThatThrownBy(() -> engine.activateVersion("acme", "payments", "\t", "v2"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("policyFunction must not be blank, but was '\t'");
      assertThatThrownBy(() -> engine.activateVersion("acme", null, "authorize", "v2"))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("policyModule must not be null");
    }
  }
}
