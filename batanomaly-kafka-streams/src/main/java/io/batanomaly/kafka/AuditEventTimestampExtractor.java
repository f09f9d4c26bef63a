package io.batanomaly.kafka;

import io.batanomaly.AuditEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Takes a record's Kafka timestamp from the {@link AuditEvent} it carries: windows run on event
 * time, not on when the producer sent the record. A record that is not an event (it failed to
 * deserialize) or an event without a timestamp keeps the partition's time, so it is not dropped
 * by Kafka Streams but reaches the topology, which counts or rejects it with a reason.
 */
public final class AuditEventTimestampExtractor implements TimestampExtractor {

  /** Creates the extractor. */
  public AuditEventTimestampExtractor() {}

  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    if (record.value() instanceof AuditEvent e && e.epochMillis() != AuditEvent.NO_TIMESTAMP
        && e.epochMillis() >= 0) {
      return e.epochMillis();
    }
    if (partitionTime >= 0) {
      return partitionTime;
    }
    return Math.max(0, record.timestamp());
  }
}
