package io.batanomaly.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batanomaly.AuditEvent;
import io.batanomaly.Outcome;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetReplayTest {

  @Test
  void authLogTurnsFailedPasswordsIntoUnauthorizedEventsOfTheSourceAddress() throws Exception {
    String log = String.join("\n",
        "Mar 27 13:08:09 ip-10-77-20-248 sshd[1361]: Accepted publickey for ubuntu from"
            + " 85.245.107.41 port 54259 ssh2: RSA SHA256:x",
        "Mar 27 13:09:37 ip-10-77-20-248 sudo:   ubuntu : TTY=pts/0 ; COMMAND=/usr/bin/curl",
        "Apr  2 04:00:01 ip-10-77-20-248 sshd[2001]: Failed password for invalid user admin from"
            + " 24.151.103.17 port 4242 ssh2",
        "Apr  2 04:00:03 ip-10-77-20-248 sshd[2001]: message repeated 3 times: [ Failed password"
            + " for root from 24.151.103.17 port 4242 ssh2]");

    List<AuditEvent> events = AuthLog.read(new StringReader(log), 2017);

    assertThat(events).hasSize(6);
    assertThat(events.get(0).status()).isEqualTo(200);
    assertThat(events.get(0).identifier()).isEqualTo("85.245.107.41");
    assertThat(events.get(0).service()).isEqualTo("sshd");
    assertThat(events.get(0).tenant()).isEqualTo("ip-10-77-20-248");
    assertThat(events.get(0).timestamp()).isEqualTo(Instant.parse("2017-03-27T13:08:09Z"));
    assertThat(events.get(1).service()).isEqualTo("sudo");
    assertThat(events.get(1).status()).isZero();
    assertThat(events.get(1).identifier()).isNull();
    assertThat(events.subList(2, 6)).allSatisfy(e -> {
      assertThat(e.status()).isEqualTo(401);
      assertThat(e.identifier()).isEqualTo("24.151.103.17");
    });
    assertThat(events.get(2).timestamp()).isEqualTo(Instant.parse("2017-04-02T04:00:01Z"));
  }

  @Test
  void authLogRejectsALineThatIsNotSyslogNamingItsNumber() {
    assertThatThrownBy(() -> AuthLog.read(new StringReader("not a log line"), 2017))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("auth.log line 1 is not a syslog line, but was 'not a log line'");
  }

  @Test
  void shippedAuthLogHoldsEveryFailedPasswordOfTheDataset() {
    ReplaySource source = ReplaySource.authLog(null);
    List<AuditEvent> events = new ArrayList<>();
    source.events().get().forEachRemaining(events::add);
    // 628 "Failed password" lines, and "message repeated N times" lines that repeat one
    long failures = events.stream().filter(e -> e.status() == 401).count();
    assertThat(failures).isGreaterThanOrEqualTo(628);
    assertThat(events).isSortedAccordingTo(
        java.util.Comparator.comparingLong(AuditEvent::epochMillis));
    assertThat(source.start()).isEqualTo(Instant.parse("2017-03-27T13:06:56Z"));
  }

  @Test
  void nabRowsBecomeEvaluationsSpreadOverTheirFiveMinutes() throws Exception {
    String csv = "timestamp,value\n2014-03-07 03:41:00,45.868\n2014-03-07 03:46:00,47.5\n";

    List<AuditEvent> events = NabSeries.read(new StringReader(csv), "nab", "ec2", "latency",
        "v1", 3);

    assertThat(events).hasSize(6);
    assertThat(events).extracting(AuditEvent::timestamp).containsExactly(
        Instant.parse("2014-03-07T03:41:00Z"), Instant.parse("2014-03-07T03:42:40Z"),
        Instant.parse("2014-03-07T03:44:20Z"), Instant.parse("2014-03-07T03:46:00Z"),
        Instant.parse("2014-03-07T03:47:40Z"), Instant.parse("2014-03-07T03:49:20Z"));
    assertThat(events.get(0).executionTimeNanos()).isEqualTo(45_868_000L);
    assertThat(events.get(5).executionTimeNanos()).isEqualTo(47_500_000L);
    assertThat(events).allSatisfy(e -> {
      assertThat(e.isPolicyEvaluation()).isTrue();
      assertThat(e.outcome()).isEqualTo(Outcome.SUCCESS);
    });
  }

  @Test
  void nabRowsStampedTwiceStayInTimeOrder() throws Exception {
    String csv = "timestamp,value\n2014-03-09 03:00:00,1\n2014-03-09 03:00:00,2\n"
        + "2014-03-09 03:05:00,3\n";

    List<AuditEvent> events = NabSeries.read(new StringReader(csv), "nab", "m", "f", "v1", 2);

    assertThat(events).extracting(AuditEvent::epochMillis).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void shippedNabSeriesComesWithItsThreeLabelledWindows() {
    ReplaySource source = ReplaySource.nab(null);

    assertThat(source.labelledWindows()).hasSize(3);
    assertThat(source.labelledWindows().get(0).start())
        .isEqualTo(Instant.parse("2014-03-14T03:31:00Z"));
    assertThat(source.labelledWindows().get(2).end())
        .isEqualTo(Instant.parse("2014-03-21T03:41:00Z"));
    assertThat(source.start()).isEqualTo(Instant.parse("2014-03-07T03:41:00Z"));
    AuditEvent first = source.events().get().next();
    assertThat(first.policyModule()).isEqualTo("nab");
    assertThat(first.policyFunction()).isEqualTo("ec2_request_latency_system_failure");
    assertThat(first.executionTimeNanos()).isEqualTo(45_868_000L);
  }

  @Test
  void optionsNameTheBadArgumentAndTheValueGiven() {
    assertThatThrownBy(() -> Demo.Options.parse("--replay", "apache"))
        .hasMessage("--replay must be synthetic, auth-log or nab, but was 'apache'");
    assertThatThrownBy(() -> Demo.Options.parse("--seed", "x"))
        .hasMessage("--seed must be a whole number, but was 'x'");
    assertThatThrownBy(() -> Demo.Options.parse("--file", "a.log"))
        .hasMessage("--file needs --replay auth-log or --replay nab, but --replay was"
            + " 'synthetic'");
    assertThat(Demo.Options.parse("--replay", "nab", "--quiet"))
        .isEqualTo(new Demo.Options("nab", null, DemoScenario.SEED, true));
  }
}
