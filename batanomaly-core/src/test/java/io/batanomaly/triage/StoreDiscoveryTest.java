package io.batanomaly.triage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.Setting;
import io.batanomaly.internal.InMemoryAnomalyRepository;
import io.batanomaly.internal.InMemoryIdempotencyStore;
import io.batanomaly.internal.InMemorySuppressionStore;
import io.batanomaly.spi.AnomalyRepository;
import io.batanomaly.spi.AnomalyStore;
import io.batanomaly.spi.AnomalyStoreProvider;
import io.batanomaly.spi.IdempotencyStore;
import io.batanomaly.spi.SuppressionStore;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Store providers found with {@code ServiceLoader} (a class loader that lists two, so that the
 * test-jar registers none for other modules):
 * one answers only when its setting is given, two answering fail the build, a store set on the
 * builder wins, and a JDBC URL nobody takes is an error rather than a silent in-memory store.
 */
class StoreDiscoveryTest {

  static final Setting<String> WHICH = Setting.text("ANOMALY_TEST_STORE", "",
      "which test store providers answer: first, second or both");
  static final AtomicInteger CLOSED = new AtomicInteger();

  static AnomalyStore memoryStore(String name) {
    AnomalyRepository r = new InMemoryAnomalyRepository(100, Duration.ofDays(1));
    IdempotencyStore i = new InMemoryIdempotencyStore(100);
    SuppressionStore s = new InMemorySuppressionStore();
    return new AnomalyStore() {
      @Override
      public AnomalyRepository repository() {
        return r;
      }

      @Override
      public IdempotencyStore idempotency() {
        return i;
      }

      @Override
      public SuppressionStore suppressions() {
        return s;
      }

      @Override
      public String describe() {
        return name;
      }

      @Override
      public void close() {
        CLOSED.incrementAndGet();
      }
    };
  }

  /** Answers for {@code first} and {@code both}. */
  public static final class First implements AnomalyStoreProvider {
    @Override
    public String name() {
      return "first";
    }

    @Override
    public List<Setting<?>> settings() {
      return List.of(WHICH);
    }

    @Override
    public Optional<AnomalyStore> create(AnomalyConfig config, InstantSource clock) {
      String w = config.get(WHICH);
      return w.equals("first") || w.equals("both") ? Optional.of(memoryStore("first store"))
          : Optional.empty();
    }
  }

  /** Answers for {@code second} and {@code both}. */
  public static final class Second implements AnomalyStoreProvider {
    @Override
    public String name() {
      return "second";
    }

    @Override
    public Optional<AnomalyStore> create(AnomalyConfig config, InstantSource clock) {
      String w = config.raw("ANOMALY_TEST_STORE");
      return "second".equals(w) || "both".equals(w) ? Optional.of(memoryStore("second store"))
          : Optional.empty();
    }
  }

  @TempDir
  static Path services;

  private static ClassLoader loader;

  @BeforeAll
  static void listTheProviders() throws Exception {
    Path file = services.resolve("META-INF/services/" + AnomalyStoreProvider.class.getName());
    Files.createDirectories(file.getParent());
    Files.writeString(file, First.class.getName() + "\n" + Second.class.getName() + "\n");
    loader = new URLClassLoader(new URL[] {services.toUri().toURL()},
        StoreDiscoveryTest.class.getClassLoader());
  }

  private static AnomalyEngine.Builder builder(Map<String, String> settings) {
    return AnomalyEngine.builder().config(AnomalyConfig.fromMap(settings))
        .discoverDetectors(false).autoTick(false).classLoader(loader);
  }

  @Test
  void theProviderWhoseSettingIsGivenSuppliesTheStoreAndTheEngineClosesIt() {
    try (AnomalyEngine e = builder(Map.of()).build()) {
      assertThat(e.storeDescription()).isEqualTo("in memory");
    }
    int closed = CLOSED.get();
    try (AnomalyEngine e = builder(Map.of("ANOMALY_TEST_STORE", "second")).build()) {
      assertThat(e.storeDescription()).isEqualTo("second store");
    }
    assertThat(CLOSED.get()).isEqualTo(closed + 1);
  }

  @Test
  void twoProvidersAnsweringFailTheBuildNamingBoth() {
    assertThatThrownBy(() -> builder(Map.of("ANOMALY_TEST_STORE", "both")).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(First.class.getName()).hasMessageContaining(Second.class.getName());
  }

  @Test
  void aStoreSetOnTheBuilderWinsAndStaysOpen() {
    int closed = CLOSED.get();
    try (AnomalyEngine e = builder(Map.of("ANOMALY_TEST_STORE", "both"))
        .store(memoryStore("host store")).build()) {
      assertThat(e.storeDescription()).isEqualTo("host store");
    }
    assertThat(CLOSED.get()).isEqualTo(closed);
  }

  @Test
  void aJdbcUrlThatNoProviderTakesIsAnError() {
    assertThatThrownBy(() -> builder(Map.of("ANOMALY_JDBC_URL", "jdbc:sqlite:x.db")).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("batanomaly-jdbc");
  }
}
