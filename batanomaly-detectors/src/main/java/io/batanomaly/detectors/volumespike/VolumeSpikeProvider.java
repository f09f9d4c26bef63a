package io.batanomaly.detectors.volumespike;

import io.batanomaly.AnomalySettings;
import io.batanomaly.Setting;
import io.batanomaly.spi.Detector;
import io.batanomaly.spi.DetectorContext;
import io.batanomaly.spi.DetectorProvider;
import java.util.List;

/**
 * Provides the {@code volume_spike} detector: it reports VOLUME_SPIKE when a service's event
 * count over the last {@code ANOMALY_VOLUME_CURRENT_WINDOW} (20 s) has a z-score above
 * {@code ANOMALY_VOLUME_THRESHOLD} (3.0) against the rest of {@code ANOMALY_VOLUME_WINDOW}
 * (300 s), and clears the guards of {@link VolumeSpikeSettings}. Found with
 * {@link java.util.ServiceLoader}.
 */
public final class VolumeSpikeProvider implements DetectorProvider {

  /** The detector's name. */
  public static final String NAME = "volume_spike";

  /** Creates the provider; called by {@link java.util.ServiceLoader}. */
  public VolumeSpikeProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Setting<?>> settings() {
    return List.of(AnomalySettings.VOLUME_THRESHOLD, AnomalySettings.VOLUME_WINDOW,
        VolumeSpikeSettings.CURRENT_WINDOW, VolumeSpikeSettings.MIN_BASELINE_RATE,
        VolumeSpikeSettings.MIN_RATIO, VolumeSpikeSettings.MIN_INCREASE);
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if {@code ANOMALY_VOLUME_CURRENT_WINDOW} is more than half
   *     of {@code ANOMALY_VOLUME_WINDOW}
   */
  @Override
  public Detector create(DetectorContext context) {
    return new VolumeSpikeDetector(context);
  }
}
