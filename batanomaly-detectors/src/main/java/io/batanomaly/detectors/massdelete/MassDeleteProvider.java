package io.batanomaly.detectors.massdelete;

import io.batanomaly.AnomalySettings;
import io.batanomaly.Setting;
import io.batanomaly.spi.Detector;
import io.batanomaly.spi.DetectorContext;
import io.batanomaly.spi.DetectorProvider;
import java.util.List;

/**
 * Provides the {@code mass_delete} detector: it reports MASS_DELETE when one service of a
 * tenant receives at least {@code ANOMALY_MASS_DELETE_THRESHOLD} (50) DELETE requests within
 * {@code ANOMALY_MASS_DELETE_WINDOW} (300 s) of event time. Requests exactly W apart are
 * inside the window. Found with {@link java.util.ServiceLoader}.
 */
public final class MassDeleteProvider implements DetectorProvider {

  /** The detector's name. */
  public static final String NAME = "mass_delete";

  /** Creates the provider; called by {@link java.util.ServiceLoader}. */
  public MassDeleteProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Setting<?>> settings() {
    return List.of(AnomalySettings.MASS_DELETE_THRESHOLD, AnomalySettings.MASS_DELETE_WINDOW);
  }

  @Override
  public Detector create(DetectorContext context) {
    return new MassDeleteDetector(context);
  }
}
