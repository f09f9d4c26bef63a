package io.batanomaly.benchmarks;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.spi.DetectorProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;

/** Builds the engines the benchmarks measure. */
public final class Engines {

  /** The five audit-event detectors, by provider name. */
  public static final List<String> AUDIT_DETECTORS =
      List.of("volume_spike", "error_rate", "brute_force", "mass_delete", "silent_service");

  private Engines() {}

  /**
   * Builds an engine with the default configuration, no automatic tick, and the chosen
   * detectors.
   *
   * @param detectors {@code none}, {@code audit} (the five audit detectors), or a
   *     comma-separated list of provider names such as {@code brute_force}
   * @param clock the engine clock
   * @return the engine
   * @throws IllegalArgumentException if a named detector is not on the class path
   */
  public static AnomalyEngine build(String detectors, ReplayClock clock) {
    AnomalyEngine.Builder b = AnomalyEngine.builder()
        .config(AnomalyConfig.defaults())
        .clock(clock)
        .autoTick(false)
        .discoverDetectors(false);
    for (DetectorProvider p : providers(detectors)) {
      b.detector(p);
    }
    return b.build();
  }

  /**
   * Finds the providers named by a detector selection.
   *
   * @param detectors as in {@link #build}
   * @return the providers, in the order named
   * @throws IllegalArgumentException if a named detector is not on the class path
   */
  public static List<DetectorProvider> providers(String detectors) {
    List<String> names = switch (detectors) {
      case "none" -> List.of();
      case "audit" -> AUDIT_DETECTORS;
      default -> Arrays.stream(detectors.split(",")).map(String::trim).toList();
    };
    List<DetectorProvider> found = new ArrayList<>();
    ServiceLoader.load(DetectorProvider.class).forEach(found::add);
    List<DetectorProvider> chosen = new ArrayList<>();
    for (String name : names) {
      DetectorProvider p = found.stream().filter(x -> x.name().equals(name)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("detector '" + name
              + "' is not on the class path; found "
              + found.stream().map(DetectorProvider::name).toList()));
      chosen.add(p);
    }
    return chosen;
  }
}
