/**
 * The detectors of {@link io.batanomaly.AnomalyEngine} as a Kafka Streams topology:
 * {@link io.batanomaly.kafka.AnomalyTopology}, the JSON form of events on a topic
 * ({@link io.batanomaly.kafka.AuditEventSerde}), event time from the event
 * ({@link io.batanomaly.kafka.AuditEventTimestampExtractor}), how the stream is split
 * ({@link io.batanomaly.kafka.Keying}) and which clock the engines run on
 * ({@link io.batanomaly.kafka.TimeMode}).
 */
package io.batanomaly.kafka;
