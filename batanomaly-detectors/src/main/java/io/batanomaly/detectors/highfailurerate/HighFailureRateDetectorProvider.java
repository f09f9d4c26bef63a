package io.batanomaly.detectors.highfailurerate;

import io.batanomaly.Setting;
import io.batanomaly.spi.Detector;
import io.batanomaly.spi.DetectorContext;
import io.batanomaly.spi.DetectorProvider;
import java.util.List;

/**
 * Provides the {@code high_failure_rate} detector: a policy version whose evaluations fail too
 * often (type {@code HIGH_FAILURE_RATE}).
 */
public final class HighFailureRateDetectorProvider implements DetectorProvider {

  /** The detector name. */
  public static final String NAME = "high_failure_rate";

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public HighFailureRateDetectorProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Setting<?>> settings() {
    return HighFailureRateSettings.all();
  }

  @Override
  public Detector create(DetectorContext context) {
    return new HighFailureRateDetector(context);
  }
}
