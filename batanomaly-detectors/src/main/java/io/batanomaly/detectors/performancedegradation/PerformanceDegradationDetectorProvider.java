package io.batanomaly.detectors.performancedegradation;

import io.batanomaly.Setting;
import io.batanomaly.spi.Detector;
import io.batanomaly.spi.DetectorContext;
import io.batanomaly.spi.DetectorProvider;
import java.util.List;

/**
 * Provides the {@code performance_degradation} detector: a policy version whose execution time
 * rises well above its baseline (type {@code PERFORMANCE_DEGRADATION}).
 */
public final class PerformanceDegradationDetectorProvider implements DetectorProvider {

  /** The detector name. */
  public static final String NAME = "performance_degradation";

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public PerformanceDegradationDetectorProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Setting<?>> settings() {
    return PerformanceDegradationSettings.all();
  }

  @Override
  public Detector create(DetectorContext context) {
    return new PerformanceDegradationDetector(context);
  }
}
