package io.batanomaly.detectors.bruteforce;

import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AuditEvent;
import io.batanomaly.api.Anomaly;
import io.batanomaly.detectors.Anomalies;
import io.batanomaly.detectors.EngineDriver;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Replays a real sshd log (elastic/examples, Apache 2.0; see
 * {@code datasets/elastic-examples/SOURCE.md}) through the brute-force detector: every
 * {@code Failed password} and {@code Invalid user} line is a 401 for its source IP.
 */
class BruteForceAuthLogTest {
  private static final Pattern FAILURE = Pattern.compile(
      "^(\\w{3} +\\d+ \\d\\d:\\d\\d:\\d\\d) \\S+ sshd\\[\\d+\\]: "
          + "(?:Failed password for (?:invalid user )?.*|Invalid user .*) from "
          + "(\\d+\\.\\d+\\.\\d+\\.\\d+)(?: port \\d+.*)?$");
  private static final DateTimeFormatter SYSLOG =
      DateTimeFormatter.ofPattern("yyyy MMM d HH:mm:ss", Locale.ROOT);

  private record Failure(long millis, String ip) {}

  private static List<Failure> failures;

  @BeforeAll
  static void parse() throws IOException {
    failures = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        BruteForceAuthLogTest.class.getResourceAsStream("/datasets/elastic-examples/auth.log"),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        Matcher m = FAILURE.matcher(line);
        if (m.matches()) {
          String stamp = "2017 " + m.group(1).replaceAll(" +", " ");
          long millis = LocalDateTime.parse(stamp, SYSLOG).toInstant(ZoneOffset.UTC)
              .toEpochMilli();
          failures.add(new Failure(millis, m.group(2)));
        }
      }
    }
  }

  /** The IPs with 10 failures within 300 s, found by checking every run of 10 failures. */
  private static Set<String> expectedAttackers(int threshold, long windowMillis) {
    Map<String, List<Long>> byIp = new HashMap<>();
    for (Failure f : failures) {
      byIp.computeIfAbsent(f.ip(), k -> new ArrayList<>()).add(f.millis());
    }
    Set<String> attackers = new TreeSet<>();
    byIp.forEach((ip, times) -> {
      List<Long> sorted = times.stream().sorted().toList();
      for (int i = 0; i + threshold - 1 < sorted.size(); i++) {
        if (sorted.get(i + threshold - 1) - sorted.get(i) <= windowMillis) {
          attackers.add(ip);
          return;
        }
      }
    });
    return attackers;
  }

  @Test
  void parsesEveryFailureLineOfTheLog() {
    assertThat(failures).hasSize(806);
    assertThat(failures.stream().map(Failure::ip).distinct().count()).isGreaterThan(20);
  }

  @Test
  @Timeout(60)
  void reportsExactlyTheIpsThatReachTenFailuresWithinFiveMinutes() {
    Set<String> expected = expectedAttackers(10, 300_000);
    assertThat(expected).isNotEmpty();
    Set<String> everyIp = failures.stream().map(Failure::ip).collect(Collectors.toSet());
    assertThat(everyIp.size()).isGreaterThan(expected.size());

    try (EngineDriver d = new EngineDriver(new BruteForceProvider(), AnomalyConfig.defaults(),
        failures.get(0).millis())) {
      TreeMap<Long, List<AuditEvent>> bySecond = new TreeMap<>();
      for (Failure f : failures) {
        bySecond.computeIfAbsent(f.millis() / 1000, k -> new ArrayList<>()).add(
            AuditEvent.builder().tenant("ops").service("sshd").epochMillis(f.millis())
                .method("POST").status(401).identifier(f.ip()).eventType("ssh.auth").build());
      }
      bySecond.forEach((second, batch) -> d.send(second * 1000 + 999, batch));

      Set<String> reported = Anomalies.of(d.engine, "ops", "BRUTE_FORCE").stream()
          .map(Anomaly::subject).collect(Collectors.toCollection(TreeSet::new));
      assertThat(reported).isEqualTo(expected);
      // IPs with ten failures or more, but never ten within five minutes, are not reported
      Map<String, Long> totals = failures.stream()
          .collect(Collectors.groupingBy(Failure::ip, Collectors.counting()));
      Set<String> slowButMany = totals.entrySet().stream().filter(e -> e.getValue() >= 10)
          .map(Map.Entry::getKey).filter(ip -> !expected.contains(ip))
          .collect(Collectors.toSet());
      assertThat(slowButMany).isNotEmpty();
      assertThat(reported).doesNotContainAnyElementsOf(slowButMany);
    }
  }
}
