package io.batanomaly.detectors.bruteforce;

import io.batanomaly.AnomalySettings;
import io.batanomaly.Setting;
import io.batanomaly.spi.Detector;
import io.batanomaly.spi.DetectorContext;
import io.batanomaly.spi.DetectorProvider;
import java.util.List;

/**
 * Provides the {@code brute_force} detector: it reports BRUTE_FORCE when one identifier (user,
 * API client or IP) of a tenant collects at least {@code ANOMALY_BRUTE_FORCE_THRESHOLD} (10)
 * 401 responses within {@code ANOMALY_BRUTE_FORCE_WINDOW} (300 s) of event time, counted across
 * all of the tenant's services. Events without an identifier are not counted. Found with
 * {@link java.util.ServiceLoader}.
 */
public final class BruteForceProvider implements DetectorProvider {

  /** The detector's name. */
  public static final String NAME = "brute_force";

  /** Creates the provider; called by {@link java.util.ServiceLoader}. */
  public BruteForceProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Setting<?>> settings() {
    return List.of(AnomalySettings.BRUTE_FORCE_THRESHOLD, AnomalySettings.BRUTE_FORCE_WINDOW,
        BruteForceSettings.MAX_IDENTIFIERS);
  }

  @Override
  public Detector create(DetectorContext context) {
    return new BruteForceDetector(context);
  }
}
