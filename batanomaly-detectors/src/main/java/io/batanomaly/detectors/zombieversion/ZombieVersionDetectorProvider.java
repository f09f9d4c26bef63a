package io.batanomaly.detectors.zombieversion;

import io.batanomaly.Setting;
import io.batanomaly.spi.Detector;
import io.batanomaly.spi.DetectorContext;
import io.batanomaly.spi.DetectorProvider;
import java.util.List;

/**
 * Provides the {@code zombie_version} detector: an old, superseded policy version that keeps
 * receiving evaluation traffic (type {@code ZOMBIE_VERSION}).
 */
public final class ZombieVersionDetectorProvider implements DetectorProvider {

  /** The detector name. */
  public static final String NAME = "zombie_version";

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public ZombieVersionDetectorProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Setting<?>> settings() {
    return ZombieVersionSettings.all();
  }

  @Override
  public Detector create(DetectorContext context) {
    return new ZombieVersionDetector(context);
  }
}
