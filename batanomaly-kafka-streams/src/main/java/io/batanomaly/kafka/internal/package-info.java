/** Internals of the Kafka Streams topology; not a public API. */
package io.batanomaly.kafka.internal;
