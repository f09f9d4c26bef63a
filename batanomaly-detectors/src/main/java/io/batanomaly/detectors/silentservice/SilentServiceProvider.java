package io.batanomaly.detectors.silentservice;

import io.batanomaly.AnomalySettings;
import io.batanomaly.Setting;
import io.batanomaly.spi.Detector;
import io.batanomaly.spi.DetectorContext;
import io.batanomaly.spi.DetectorProvider;
import java.util.List;

/**
 * Provides the {@code silent_service} detector: it reports SILENT_SERVICE when a service that
 * had events in at least {@code ANOMALY_SILENT_SERVICE_MIN_ACTIVE_MINUTES} (10) of the
 * {@code ANOMALY_SILENT_SERVICE_LOOKBACK_MINUTES} (60) minutes before it fell silent has sent
 * nothing for {@code ANOMALY_SILENT_SERVICE_MINUTES} (15), by the engine clock. Found with
 * {@link java.util.ServiceLoader}.
 */
public final class SilentServiceProvider implements DetectorProvider {

  /** The detector's name. */
  public static final String NAME = "silent_service";

  /** Creates the provider; called by {@link java.util.ServiceLoader}. */
  public SilentServiceProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Setting<?>> settings() {
    return List.of(AnomalySettings.SILENT_SERVICE_MINUTES, SilentServiceSettings.LOOKBACK_MINUTES,
        SilentServiceSettings.MIN_ACTIVE_MINUTES);
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if the minimum of active minutes exceeds the lookback
   */
  @Override
  public Detector create(DetectorContext context) {
    return new SilentServiceDetector(context);
  }
}
