package io.batanomaly.spi;

import io.batanomaly.Setting;
import java.util.List;

/**
 * Creates one kind of {@link Detector}. Providers are found with {@link java.util.ServiceLoader}
 * (list the class in {@code META-INF/services/io.batanomaly.spi.DetectorProvider}) or registered
 * explicitly on the engine builder. Two providers with the same {@link #name()} make the engine
 * build fail with a message naming both classes.
 *
 * <p>Implementations need a public no-argument constructor to be found by {@code ServiceLoader}.
 */
public interface DetectorProvider {

  /**
   * Returns the detector's unique name, lower snake case, such as {@code brute_force}. It is
   * also accepted in {@code ANOMALY_DISABLED_DETECTORS}.
   *
   * @return the name
   */
  String name();

  /**
   * Returns the settings the detector reads, so the engine validates them at build time and the
   * settings table can list them.
   *
   * @return the settings, possibly empty
   */
  default List<Setting<?>> settings() {
    return List.of();
  }

  /**
   * Creates the detector. Called once per engine, while the engine is being built.
   *
   * @param context configuration, clock and scope attachments
   * @return the detector
   */
  Detector create(DetectorContext context);
}
