package io.batanomaly.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.AnomalySettings;
import io.batanomaly.Setting;
import io.batanomaly.notify.NotifySettings;
import io.batanomaly.spi.AnomalyStoreProvider;
import io.batanomaly.spi.DetectorProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README's settings table true: it must list exactly the settings the engine, its
 * notifications and every built-in detector declare, with their defaults and descriptions, in
 * that order. When it fails, the message carries the table as it should read.
 */
class SettingsTableTest {

  private static final Path README = Path.of("..", "README.md");
  private static final String HEADING = "## Settings";

  /** Whether a provider is main code, not a test's, which a test-jar may bring along. */
  static boolean fromMainCode(Object provider) {
    java.security.CodeSource source = provider.getClass().getProtectionDomain().getCodeSource();
    String location = source == null ? "" : source.getLocation().toString();
    return !location.contains("test-classes") && !location.endsWith("-tests.jar");
  }

  /**
   * Every declared setting, engine first, then notifications, then the anomaly stores', then
   * each detector's own.
   */
  static Map<String, Setting<?>> declared() {
    Map<String, Setting<?>> settings = new LinkedHashMap<>();
    AnomalySettings.all().forEach(s -> settings.putIfAbsent(s.key(), s));
    NotifySettings.all().forEach(s -> settings.putIfAbsent(s.key(), s));
    for (AnomalyStoreProvider p : ServiceLoader.load(AnomalyStoreProvider.class)) {
      if (fromMainCode(p)) {
        p.settings().forEach(s -> settings.putIfAbsent(s.key(), s));
      }
    }
    for (DetectorProvider p : ServiceLoader.load(DetectorProvider.class)) {
      p.settings().forEach(s -> settings.putIfAbsent(s.key(), s));
    }
    return settings;
  }

  /** The default as a person writes it in the environment. */
  static String display(Setting<?> s) {
    Object v = s.defaultValue();
    if (v instanceof Duration && s.rule().startsWith("a duration")) {
      long ms = ((Duration) v).toMillis();
      long[] units = {86_400_000L, 3_600_000L, 60_000L, 1000L};
      String[] names = {"d", "h", "m", "s"};
      for (int i = 0; i < units.length; i++) {
        // whole days from a week on; hours below (24h reads better than 1d)
        boolean skipDays = i == 0 && ms < 7 * units[0];
        if (!skipDays && ms != 0 && ms % units[i] == 0) {
          return ms / units[i] + names[i];
        }
      }
      return ms + "ms";
    }
    @SuppressWarnings("unchecked")
    Setting<Object> raw = (Setting<Object>) s;
    String text = raw.format(v);
    return text.isEmpty() ? "(none)" : text;
  }

  static String expectedTable() {
    StringBuilder sb = new StringBuilder("| key | default | meaning |\n|---|---|---|\n");
    for (Setting<?> s : declared().values()) {
      sb.append("| `").append(s.key()).append("` | `").append(display(s)).append("` | ")
          .append(s.description().replace("|", "\\|")).append(" |\n");
    }
    return sb.toString();
  }

  private static List<String> readmeTable() throws IOException {
    List<String> lines = Files.readAllLines(README);
    int start = lines.indexOf(HEADING);
    assertThat(start).as("README has a '%s' section", HEADING).isNotNegative();
    List<String> table = new ArrayList<>();
    boolean inTable = false;
    for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
      String line = lines.get(i);
      if (line.startsWith("| key |")) {
        inTable = true;
      }
      if (inTable) {
        if (!line.startsWith("|")) {
          break;
        }
        table.add(line);
      }
    }
    return table;
  }

  @Test
  void readmeListsEverySettingWithItsDefaultAndMeaning() throws IOException {
    String expected = expectedTable();
    assertThat(String.join("\n", readmeTable()) + "\n")
        .as("the README's settings table; it should read:%n%s", expected)
        .isEqualTo(expected);
  }

  @Test
  void everyBuiltInDetectorDeclaresItsSettings() {
    assertThat(declared()).containsKeys("ANOMALY_VOLUME_THRESHOLD", "ANOMALY_COOLDOWN",
        "ANOMALY_BRUTE_FORCE_MAX_IDENTIFIERS", "ANOMALY_FAILURE_RATE_THRESHOLD",
        "ANOMALY_WEBHOOK_URLS");
  }

  /** Prints the table, for pasting into the README. */
  public static void main(String[] args) {
    System.out.print(expectedTable());
  }
}
