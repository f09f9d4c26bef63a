package io.batanomaly.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.AnomalyListener;
import io.batanomaly.AnomalyNotification;
import io.batanomaly.AnomalySettings;
import io.batanomaly.AuditEvent;
import io.batanomaly.detectors.zombieversion.ZombieVersionSettings;
import io.batanomaly.micrometer.BatanomalyMetrics;
import io.batanomaly.notify.WebhookNotifier;
import io.batanomaly.testkit.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class BatanomalyAutoConfigurationTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(BatanomalyAutoConfiguration.class));

  @Test
  void buildsTheEngineFromBatanomalyPropertiesMappedOntoTheSettings() {
    runner.withPropertyValues("batanomaly.brute-force.threshold=7", "batanomaly.cooldown=PT2M",
        "batanomaly.volume.window=PT10M", "batanomaly.dismissed-suppression=48h",
        "batanomaly.zombie.grace=PT1H", "batanomaly.disabled-detectors=mass_delete,VOLUME_SPIKE")
        .run(context -> {
          AnomalyEngine engine = context.getBean(AnomalyEngine.class);
          AnomalyConfig c = engine.config();
          assertThat(c.get(AnomalySettings.BRUTE_FORCE_THRESHOLD)).isEqualTo(7);
          assertThat(c.get(AnomalySettings.COOLDOWN)).isEqualTo(Duration.ofMinutes(2));
          assertThat(c.get(AnomalySettings.VOLUME_WINDOW)).isEqualTo(Duration.ofMinutes(10));
          assertThat(c.get(AnomalySettings.DISMISSED_SUPPRESSION))
              .isEqualTo(Duration.ofHours(48));
          assertThat(c.get(ZombieVersionSettings.GRACE)).isEqualTo(Duration.ofMinutes(60));
          assertThat(engine.detectorNames()).contains("brute_force", "zombie_version")
              .doesNotContain("mass_delete", "volume_spike");
          assertThat(context.getBean(AnomalyConfig.class)).isSameAs(c);
        });
  }

  @Test
  void acceptsEveryFormOfRelaxedBindingForTheSameSetting() {
    runner.withPropertyValues("batanomaly.bruteForce.threshold=8",
        "batanomaly.silent_service.minutes=20", "batanomaly.cooldown=5m")
        .withInitializer(ctx -> ctx.getEnvironment().getPropertySources().addFirst(
            new SystemEnvironmentPropertySource("test-systemEnvironment",
                Map.of("BATANOMALY_MASS_DELETE_THRESHOLD", "70"))))
        .run(context -> {
          AnomalyConfig c = context.getBean(AnomalyEngine.class).config();
          assertThat(c.get(AnomalySettings.BRUTE_FORCE_THRESHOLD)).isEqualTo(8);
          assertThat(c.get(AnomalySettings.SILENT_SERVICE_MINUTES))
              .isEqualTo(Duration.ofMinutes(20));
          assertThat(c.get(AnomalySettings.COOLDOWN)).isEqualTo(Duration.ofMinutes(5));
          assertThat(c.get(AnomalySettings.MASS_DELETE_THRESHOLD)).isEqualTo(70);
        });
  }

  @Test
  void aListOfWebhookUrlsBecomesOneCommaSeparatedSetting() {
    runner.withPropertyValues("batanomaly.webhook.urls[0]=https://a.example/hook",
        "batanomaly.webhook.urls[1]=https://b.example/hook",
        "batanomaly.webhook.secret=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        .run(context -> {
          AnomalyConfig c = context.getBean(AnomalyConfig.class);
          assertThat(c.raw("ANOMALY_WEBHOOK_URLS"))
              .isEqualTo("https://a.example/hook,https://b.example/hook");
          assertThat(context.getBean(AnomalyEngine.class).notifier(WebhookNotifier.class))
              .isPresent();
        });
  }

  @Test
  void anUnknownPropertyFailsStartUpNamingItAndItsKey() {
    runner.withPropertyValues("batanomaly.brute-force.treshold=3", "batanomaly.cooldwn=1m")
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(rootCause(context.getStartupFailure()))
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessageContaining("batanomaly.brute-force.treshold"
                  + " (ANOMALY_BRUTE_FORCE_TRESHOLD) is not a batanomaly setting")
              .hasMessageContaining("batanomaly.cooldwn (ANOMALY_COOLDWN) is not a batanomaly"
                  + " setting");
        });
  }

  @Test
  void anUnknownNameSetOnlyByAnEnvironmentVariableIsIgnoredWhileAKnownOneIsRead() {
    runner.withPropertyValues("batanomaly.cooldown=5m")
        .withInitializer(ctx -> ctx.getEnvironment().getPropertySources().addFirst(
            new SystemEnvironmentPropertySource("test-systemEnvironment",
                Map.of("BATANOMALY_TOKENS", "alice:secret", "BATANOMALY_TEST_PG_URL",
                    "jdbc:postgresql://127.0.0.1:5432/postgres",
                    "BATANOMALY_MASS_DELETE_THRESHOLD", "70"))))
        .run(context -> {
          assertThat(context).hasNotFailed();
          AnomalyConfig c = context.getBean(AnomalyEngine.class).config();
          assertThat(c.get(AnomalySettings.MASS_DELETE_THRESHOLD)).isEqualTo(70);
          assertThat(c.raw("ANOMALY_TOKENS")).isNull();
        });
  }

  @Test
  void aBadValueFailsStartUpWithTheEnginesOwnMessage() {
    runner.withPropertyValues("batanomaly.cooldown=soon", "batanomaly.volume.window=-5")
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(rootCause(context.getStartupFailure()))
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessageStartingWith("Invalid batanomaly configuration:")
              .hasMessageContaining("ANOMALY_COOLDOWN must be a duration such as 30s, 5m, 1h or"
                  + " a number of seconds, but was 'soon'")
              .hasMessageContaining("ANOMALY_VOLUME_WINDOW must be a positive number of"
                  + " seconds, but was '-5'");
        });
  }

  @Test
  void theEngineIsClosedWhenTheContextCloses() {
    List<AnomalyEngine> engines = new ArrayList<>();
    runner.run(context -> engines.add(context.getBean(AnomalyEngine.class)));
    assertThatThrownBy(() -> engines.get(0).ingest(List.of()))
        .isInstanceOf(IllegalStateException.class).hasMessage("the engine is closed");
  }

  @Test
  void handsListenerBeansAndCustomizersToTheBuilder() {
    runner.withUserConfiguration(Listening.class)
        .withPropertyValues("batanomaly.brute-force.threshold=3")
        .run(context -> {
          AnomalyEngine engine = context.getBean(AnomalyEngine.class);
          assertThat(engine.clock()).isSameAs(context.getBean(ManualClock.class));
          List<AuditEvent> batch = new ArrayList<>();
          for (int i = 0; i < 3; i++) {
            batch.add(AuditEvent.builder().tenant("acme-corp").service("auth")
                .timestamp(T0.minusSeconds(10 - i)).method("POST").status(401)
                .identifier("10.0.0.7").build());
          }
          assertThat(engine.ingest(batch).accepted()).isEqualTo(3);
          engine.close(); // hands queued notifications to the listeners
          Listening listening = context.getBean(Listening.class);
          assertThat(listening.received).hasSize(1);
          assertThat(listening.received.get(0).anomaly().type()).isEqualTo("BRUTE_FORCE");
        });
  }

  @Test
  void registersTheMeterBinderAndTheHealthIndicator() {
    runner.run(context -> {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      context.getBean(BatanomalyMetrics.class).bindTo(registry);
      assertThat(registry.get("batanomaly.events.accepted").functionCounter().count()).isZero();
      Health health = context.getBean("batanomalyHealthIndicator",
          BatanomalyHealthIndicator.class).health(true);
      assertThat(health.getStatus()).isEqualTo(Status.UP);
      assertThat(health.getDetails()).containsEntry("detectorErrors", 0L)
          .containsEntry("notificationsDropped", 0L).containsKey("detectors");
    });
  }

  @Test
  void batanomalyEnabledFalseSwitchesItOff() {
    runner.withPropertyValues("batanomaly.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(AnomalyEngine.class));
  }

  @Test
  void leavesTheWebPartsOutOfANonWebApplication() {
    runner.run(context -> assertThat(context).doesNotHaveBean(AnomalyApiController.class)
        .doesNotHaveBean(ApiPrincipalResolver.class));
  }

  private static Throwable rootCause(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  @Configuration(proxyBeanMethods = false)
  static class Listening implements AnomalyListener {
    final List<AnomalyNotification> received = new CopyOnWriteArrayList<>();

    @Override
    public void onNotification(AnomalyNotification notification) {
      received.add(notification);
    }

    @Bean
    ManualClock manualClock() {
      return new ManualClock(T0);
    }

    @Bean
    AnomalyEngineCustomizer clockAndNoTicks(ManualClock clock) {
      return b -> b.clock(clock).autoTick(false);
    }
  }
}
