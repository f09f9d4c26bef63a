package io.batanomaly.examples.server;

import static io.batanomaly.examples.server.ServerFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.batanomaly.examples.demo.DemoScenario;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One anomaly through its documented lifecycle over HTTP: verification while its condition holds
 * (VERIFYING, then OPEN), verification after it cleared (VERIFYING, then RESOLVED), a reopening
 * and a dismissal with an Idempotency-Key applied once and replayed, and the 409 and 422 answers
 * the history makes possible. Verification jobs wait in a queue until the test runs them, so
 * every intermediate status is observed without sleeping.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TriageLifecycleTest {
  private ServerFixture server;

  @BeforeEach
  void start() throws IOException {
    server = new ServerFixture(DemoScenario.START.plus(Duration.ofMinutes(75)));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String status(String id) {
    return server.detail(id).get("status").asText();
  }

  private List<String> transitions(String id) {
    List<String> t = new ArrayList<>();
    for (JsonNode h : server.detail(id).get("history")) {
      t.add(h.path("from").asText("-") + ">" + h.get("to").asText() + " "
          + h.get("origin").asText());
    }
    return t;
  }

  @Test
  void verificationEndsOpenWhileTheConditionHoldsAndResolvedOnceItCleared() {
    String id = server.paymentsAnomalyId();
    assertThat(status(id)).isEqualTo("OPEN");

    HttpResponse<String> verify = server.verify(id);
    assertThat(verify.statusCode()).isEqualTo(202);
    assertThat(verify.body()).isEmpty();
    assertThat(status(id)).isEqualTo("VERIFYING");
    assertThat(server.verify(id).statusCode()).as("verify while verifying").isEqualTo(409);
    assertThat(server.verifications.runAll()).isEqualTo(1);
    assertThat(status(id)).isEqualTo("OPEN");

    // payments/authorize v7 recovers at 09:20; by 09:30 the last five minutes are healthy
    server.replayTo(ServerStream.FAILURE_END.plus(Duration.ofMinutes(10)));
    assertThat(server.verify(id).statusCode()).isEqualTo(202);
    assertThat(status(id)).isEqualTo("VERIFYING");
    assertThat(server.verifications.runAll()).isEqualTo(1);
    assertThat(status(id)).isEqualTo("RESOLVED");

    assertThat(transitions(id)).containsExactly("->OPEN DETECTOR",
        "OPEN>VERIFYING VERIFICATION", "VERIFYING>OPEN VERIFICATION",
        "OPEN>VERIFYING VERIFICATION", "VERIFYING>RESOLVED VERIFICATION");
  }

  @Test
  void statusUpdateWithAnIdempotencyKeyIsAppliedOnceAndReplayed() {
    String id = server.paymentsAnomalyId();

    HttpResponse<String> first = server.patch(id,
        "{\"status\":\"DISMISSED\",\"note\":\"known dependency outage\"}", "key-dismiss-1");
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(json(first).get("status").asText()).isEqualTo("DISMISSED");

    // reopened by someone else in between: the retry still gets the first answer, unapplied
    assertThat(server.patch(id, "{\"status\":\"OPEN\"}", null).statusCode()).isEqualTo(200);
    HttpResponse<String> retry = server.patch(id,
        "{\"status\":\"DISMISSED\",\"note\":\"known dependency outage\"}", "key-dismiss-1");
    assertThat(retry.statusCode()).isEqualTo(200);
    assertThat(json(retry)).isEqualTo(json(first));
    assertThat(status(id)).isEqualTo("OPEN");
    assertThat(transitions(id)).containsExactly("->OPEN DETECTOR", "OPEN>DISMISSED USER",
        "DISMISSED>OPEN USER");

    // the same key for another request
    HttpResponse<String> reused = server.patch(id, "{\"status\":\"RESOLVED\"}", "key-dismiss-1");
    assertThat(reused.statusCode()).as(reused.body()).isEqualTo(422);
    assertThat(json(reused).get("message").asText()).contains("key-dismiss-1");
    assertThat(status(id)).isEqualTo("OPEN");
  }

  @Test
  void concurrentRetriesWithOneKeyApplyTheChangeOnce() throws Exception {
    String id = server.paymentsAnomalyId();
    int clients = 16;
    String body = "{\"status\":\"RESOLVED\",\"note\":\"retried by a flaky client\"}";
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<HttpResponse<String>>> answers = new ArrayList<>();
    try {
      for (int i = 0; i < clients; i++) {
        answers.add(pool.submit(() -> {
          go.await();
          return server.patch(id, body, "key-concurrent");
        }));
      }
      go.countDown();
      Set<String> okBodies = new HashSet<>();
      int ok = 0;
      int inFlight = 0;
      for (Future<HttpResponse<String>> f : answers) {
        HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
        if (r.statusCode() == 200) {
          ok++;
          okBodies.add(json(r).toString());
        } else {
          assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
          assertThat(json(r).get("message").asText()).contains("still being processed");
          inFlight++;
        }
      }
      assertThat(ok + inFlight).isEqualTo(clients);
      assertThat(ok).isPositive();
      assertThat(okBodies).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(transitions(id)).containsExactly("->OPEN DETECTOR", "OPEN>RESOLVED USER");
  }

  @Test
  void transitionsTheTableForbidsAre409() {
    String id = server.paymentsAnomalyId();

    HttpResponse<String> same = server.patch(id, "{\"status\":\"OPEN\"}", null);
    assertThat(same.statusCode()).isEqualTo(409);
    assertThat(json(same).get("message").asText()).contains("cannot move from OPEN to OPEN");

    assertThat(server.patch(id, "{\"status\":\"RESOLVED\"}", null).statusCode()).isEqualTo(200);
    HttpResponse<String> closed = server.patch(id, "{\"status\":\"DISMISSED\"}", null);
    assertThat(closed.statusCode()).isEqualTo(409);
    assertThat(json(closed).get("message").asText())
        .contains("cannot move from RESOLVED to DISMISSED");
    HttpResponse<String> verifyClosed = server.verify(id);
    assertThat(verifyClosed.statusCode()).isEqualTo(409);
    assertThat(json(verifyClosed).get("status").asInt()).isEqualTo(409);
    assertThat(status(id)).isEqualTo("RESOLVED");
  }
}
