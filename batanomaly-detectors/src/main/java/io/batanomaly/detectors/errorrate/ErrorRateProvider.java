package io.batanomaly.detectors.errorrate;

import io.batanomaly.AnomalySettings;
import io.batanomaly.Setting;
import io.batanomaly.spi.Detector;
import io.batanomaly.spi.DetectorContext;
import io.batanomaly.spi.DetectorProvider;
import java.util.List;

/**
 * Provides the {@code error_rate} detector: it reports ERROR_RATE when more than
 * {@code ANOMALY_ERROR_RATE_THRESHOLD} (20) percent of a service's events within
 * {@code ANOMALY_ERROR_RATE_WINDOW} (300 s) are 4xx or 5xx responses, and the window holds at
 * least {@code ANOMALY_ERROR_RATE_MIN_EVENTS} (50) events. Found with
 * {@link java.util.ServiceLoader}.
 */
public final class ErrorRateProvider implements DetectorProvider {

  /** The detector's name. */
  public static final String NAME = "error_rate";

  /** Creates the provider; called by {@link java.util.ServiceLoader}. */
  public ErrorRateProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Setting<?>> settings() {
    return List.of(AnomalySettings.ERROR_RATE_THRESHOLD, AnomalySettings.ERROR_RATE_WINDOW,
        ErrorRateSettings.MIN_EVENTS);
  }

  @Override
  public Detector create(DetectorContext context) {
    return new ErrorRateDetector(context);
  }
}
