package io.batanomaly.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batanomaly.AuditEvent;
import io.batanomaly.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AuditEventSerdeTest {
  private static final Instant T = Instant.parse("2026-03-02T08:00:01.250Z");

  private static AuditEvent read(String json) {
    return AuditEventSerde.read(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void everyFieldSurvivesTheRoundTrip() {
    AuditEvent e = AuditEvent.builder().tenant("acme-corp").service("policy-engine").timestamp(T)
        .method("post").status(503).identifier("203.0.113.77").eventType("policy.evaluation")
        .policyModule("pricing").policyFunction("discount").versionId("v4")
        .outcome(Outcome.FAILURE).executionTime(Duration.ofNanos(4_200_123))
        .attribute("region", "eu").build();

    byte[] json = AuditEventSerde.write(e);

    assertThat(AuditEventSerde.read(json)).isEqualTo(e);
    assertThat(new String(json, StandardCharsets.UTF_8)).startsWith(
        "{\"tenant\":\"acme-corp\",\"service\":\"policy-engine\","
            + "\"timestamp\":\"2026-03-02T08:00:01.250Z\",\"method\":\"POST\",\"status\":503,");
  }

  @Test
  void absentFieldsAreLeftOutAndReadBackAsAbsent() {
    AuditEvent e = AuditEvent.builder().tenant("t").service("s").timestamp(T).build();

    assertThat(new String(AuditEventSerde.write(e), StandardCharsets.UTF_8))
        .isEqualTo("{\"tenant\":\"t\",\"service\":\"s\",\"timestamp\":\"2026-03-02T08:00:01.250Z\"}");
    AuditEvent back = AuditEventSerde.read(AuditEventSerde.write(e));
    assertThat(back.status()).isZero();
    assertThat(back.outcome()).isNull();
    assertThat(back.hasExecutionTime()).isFalse();
  }

  @Test
  void acceptsEpochMillisFractionalMillisAnyCaseOutcomesAndUnknownFields() {
    AuditEvent e = read("{\"tenant\":\"t\",\"service\":\"s\",\"timestamp\":" + T.toEpochMilli()
        + ",\"outcome\":\"failure\",\"executionTimeMillis\":4.5,\"extra\":{\"a\":[1,2]},"
        + "\"identifier\":null}");

    assertThat(e.timestamp()).isEqualTo(T);
    assertThat(e.outcome()).isEqualTo(Outcome.FAILURE);
    assertThat(e.executionTimeNanos()).isEqualTo(4_500_000L);
    assertThat(e.identifier()).isNull();
  }

  @Test
  void anEventWithBadContentIsStillWrittenForTheEngineToReject() {
    AuditEvent blank = AuditEvent.builder().tenant(" ").service("s").build();

    assertThat(AuditEventSerde.read(AuditEventSerde.write(blank))).isEqualTo(blank);
  }

  @Test
  void malformedRecordsAreRejectedSayingWhatWasWrong() {
    assertThatThrownBy(() -> read("[1]")).isInstanceOf(SerializationException.class)
        .hasMessage("an audit event must be a JSON object, but the record starts with"
            + " START_ARRAY");
    assertThatThrownBy(() -> read("{\"tenant\":\"t\",\"status\":\"500\"}"))
        .isInstanceOf(SerializationException.class)
        .hasMessage("status must be an integer, but was VALUE_STRING '500'");
    assertThatThrownBy(() -> read("{\"timestamp\":\"yesterday\"}"))
        .isInstanceOf(SerializationException.class)
        .hasMessage("timestamp must be an ISO-8601 instant such as 2026-03-02T08:00:01.250Z or"
            + " epoch milliseconds, but was 'yesterday'");
    assertThatThrownBy(() -> read("{\"outcome\":\"MAYBE\"}"))
        .hasMessage("outcome must be SUCCESS or FAILURE, but was 'MAYBE'");
    assertThatThrownBy(() -> read("{\"tenant\":")).isInstanceOf(SerializationException.class)
        .hasMessageStartingWith("an audit event must be a JSON object: ");
  }

  @Test
  void theLenientSerdeReturnsNullForAMalformedRecordAndTheStrictOneThrows() {
    byte[] bad = "nope".getBytes(StandardCharsets.UTF_8);

    assertThat(AuditEventSerde.lenient().deserializer().deserialize("t", bad)).isNull();
    assertThatThrownBy(() -> new AuditEventSerde().deserializer().deserialize("t", bad))
        .isInstanceOf(SerializationException.class);
    assertThat(new AuditEventSerde().deserializer().deserialize("t", null)).isNull();
  }
}
