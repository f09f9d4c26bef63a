package io.batanomaly.jdbc;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.IngestResult;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyStatus;
import io.batanomaly.api.StatusUpdateRequest;
import io.batanomaly.api.TriageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The process {@link CrashTest} kills: an engine on the store at {@code args[0]} with findings
 * on every event, verification jobs that never run (so anomalies sit in VERIFYING), and a loop
 * of traffic and triage that runs until the process is killed, with a tick every 25 events.
 * Every call that returned is written, and forced to disk, to the acknowledgement log
 * {@code args[1]} before the next one (an occurrence count is durable once a tick follows it);
 * after {@code args[2]} acknowledgements it prints {@code ready} once.
 */
public final class CrashWorker {

  private CrashWorker() {}

  /**
   * Runs the loop.
   *
   * @param args the JDBC URL, the acknowledgement log, the count after which to say ready
   * @throws IOException if the log cannot be written
   */
  public static void main(String[] args) throws IOException {
    String url = args[0];
    Path log = Path.of(args[1]);
    int readyAfter = Integer.parseInt(args[2]);
    AnomalyConfig config = AnomalyConfig.fromMap(Map.of("ANOMALY_JDBC_URL", url,
        "ANOMALY_JDBC_POOL_SIZE", "4", "ANOMALY_COOLDOWN", "0s"));
    AnomalyEngine engine = AnomalyEngine.builder().config(config).discoverDetectors(false)
        .detector(StoreOutageTest.provider()).autoTick(false)
        .verificationExecutor(job -> { }).build();
    try (FileChannel ack = FileChannel.open(log, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      int acknowledged = 0;
      for (long i = 0; ; i++) {
        String service = "svc-" + (i % 16);
        IngestResult r = engine.ingest(List.of(AuditEvent.builder().tenant("acme")
            .service(service).timestamp(Instant.now()).method("GET").status(200)
            .identifier("u").eventType("http.request").build()));
        StringBuilder lines = new StringBuilder();
        for (Anomaly a : r.opened()) {
          lines.append("opened ").append(a.id()).append('\n');
        }
        for (Anomaly a : r.updated()) {
          lines.append("updated ").append(a.id()).append(' ').append(a.occurrences())
              .append('\n');
        }
        Anomaly touched = r.opened().isEmpty() ? (r.updated().isEmpty() ? null
            : r.updated().get(0)) : r.opened().get(0);
        if (touched != null && i % 3 == 0) {
          try {
            if (i % 2 == 0) {
              engine.anomalies().verify("acme", touched.id());
              lines.append("verifying ").append(touched.id()).append('\n');
            } else {
              String key = "key-" + i;
              Anomaly done = engine.anomalies().updateStatus("acme", touched.id(),
                  new StatusUpdateRequest(AnomalyStatus.RESOLVED, "fixed " + i), key);
              lines.append("status ").append(done.id()).append(' ').append(done.status())
                  .append(' ').append(done.history().size()).append(' ').append(key)
                  .append('\n');
            }
          } catch (TriageException refused) {
            // a 409 (already VERIFYING, say) acknowledges nothing
          }
        }
        if (i % 25 == 24) {
          engine.tick(); // writes the finding updates absorbed since the last tick
          lines.append("ticked\n");
        }
        if (lines.length() > 0) {
          ack.write(StandardCharsets.UTF_8.encode(lines.toString()));
          ack.force(true);
          if (++acknowledged == readyAfter) {
            System.out.println("ready");
            System.out.flush();
          }
        }
      }
    }
  }
}
