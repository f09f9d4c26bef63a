package io.batanomaly.examples.custom;

import io.batanomaly.Setting;
import io.batanomaly.spi.Detector;
import io.batanomaly.spi.DetectorContext;
import io.batanomaly.spi.DetectorProvider;
import java.time.Duration;
import java.util.List;

/**
 * Provides the NOT_FOUND_SCAN detector: one identifier drawing many 404 responses in a short
 * window, the signature of a client probing for paths that do not exist (admin panels, backup
 * files, an exposed {@code .git}).
 *
 * <p>This is an example of a third-party detector. It lives in its own jar, uses only the
 * public SPI of {@code batanomaly-core}, and is registered in
 * {@code META-INF/services/io.batanomaly.spi.DetectorProvider}: a host that puts the jar on its
 * class path gets the detector from {@code AnomalyEngine.builder().build()} without a code
 * change, and can switch it off with {@code ANOMALY_DISABLED_DETECTORS=not_found_scan}.
 */
public final class NotFoundScanProvider implements DetectorProvider {

  /** The detector's name, also accepted in {@code ANOMALY_DISABLED_DETECTORS}. */
  public static final String NAME = "not_found_scan";

  /** The anomaly type the detector reports. */
  public static final String TYPE = "NOT_FOUND_SCAN";

  /** Number of 404 responses to one identifier within the window that raises the anomaly. */
  public static final Setting<Integer> THRESHOLD = Setting.positiveInt(
      "ANOMALY_NOT_FOUND_SCAN_THRESHOLD", 30, "404 responses to one identifier within the window"
          + " that raise a NOT_FOUND_SCAN anomaly");

  /** Sliding window of the detector. */
  public static final Setting<Duration> WINDOW = Setting.seconds(
      "ANOMALY_NOT_FOUND_SCAN_WINDOW", 60, "sliding window of the NOT_FOUND_SCAN detector, in"
          + " seconds");

  /** Identifiers tracked per tenant. */
  public static final Setting<Integer> MAX_IDENTIFIERS = Setting.positiveInt(
      "ANOMALY_NOT_FOUND_SCAN_MAX_IDENTIFIERS", 10_000, "identifiers the NOT_FOUND_SCAN"
          + " detector tracks per tenant; identifiers that reached the threshold are never"
          + " evicted for new ones");

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public NotFoundScanProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Setting<?>> settings() {
    return List.of(THRESHOLD, WINDOW, MAX_IDENTIFIERS);
  }

  @Override
  public Detector create(DetectorContext context) {
    return new NotFoundScanDetector(context, context.config().get(THRESHOLD),
        context.config().get(WINDOW).toMillis(), context.config().get(MAX_IDENTIFIERS));
  }
}
