/**
 * Apache Kafka clusters (and {@code tidemark server}) as a source and a sink:
 * {@link io.tidemark.connector.kafka.KafkaSink} writes at least once through an idempotent
 * producer, or exactly once with a Kafka transaction per checkpoint and subtask.
 */
package io.tidemark.connector.kafka;
