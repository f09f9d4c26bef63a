package io.batanomaly.testkit;

import io.batanomaly.api.Anomaly;
import io.batanomaly.spi.AnomalyRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A repository written the way the {@link AnomalyRepository} javadoc tells a JDBC
 * implementation to be written: rows keyed by (tenant, id), a {@code version} column compared
 * in {@link #replace} instead of the snapshot, and nothing but the four required methods, so
 * paging and the active lookup come from the interface's defaults. Tests run the engine over it
 * to show the SPI is enough for such a store. Thread-safe.
 */
public final class VersionedRepository implements AnomalyRepository {

  private record RowKey(String tenant, String id) {}

  private record Row(long version, Anomaly body) {}

  private final Map<RowKey, Row> rows = new ConcurrentHashMap<>();

  @Override
  public void insert(Anomaly anomaly) {
    Row row = new Row(AnomalyRepository.version(anomaly), anomaly);
    if (rows.putIfAbsent(new RowKey(anomaly.tenant(), anomaly.id()), row) != null) {
      throw new IllegalArgumentException("anomaly id '" + anomaly.id() + "' already stored");
    }
  }

  /** {@code UPDATE … SET version = ?, body = ? WHERE tenant = ? AND id = ? AND version = ?}. */
  @Override
  public boolean replace(Anomaly expected, Anomaly updated) {
    RowKey key = new RowKey(expected.tenant(), expected.id());
    long expectedVersion = AnomalyRepository.version(expected);
    boolean[] done = {false};
    rows.computeIfPresent(key, (k, row) -> {
      if (row.version() != expectedVersion) {
        return row;
      }
      done[0] = true;
      return new Row(AnomalyRepository.version(updated), updated);
    });
    return done[0];
  }

  @Override
  public Optional<Anomaly> find(String tenant, String id) {
    Row row = rows.get(new RowKey(tenant, id));
    return row == null ? Optional.empty() : Optional.of(row.body());
  }

  @Override
  public List<Anomaly> list(String tenant, String type, Instant detectedSince) {
    List<Anomaly> out = new ArrayList<>();
    for (Map.Entry<RowKey, Row> e : rows.entrySet()) {
      Anomaly a = e.getValue().body();
      if (e.getKey().tenant().equals(tenant) && (type == null || type.equals(a.type()))
          && !a.detectedAt().isBefore(detectedSince)) {
        out.add(a);
      }
    }
    out.sort(Comparator.comparing(Anomaly::detectedAt).reversed().thenComparing(Anomaly::id));
    return out;
  }
}
