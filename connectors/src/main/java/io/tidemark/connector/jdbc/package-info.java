/**
 * Relational tables as sinks: {@link io.tidemark.connector.jdbc.JdbcUpsertSink} keeps
 * one row per key and window of a window aggregation, upserted on every result and deleted
 * on a retraction, in SQLite (embedded, the default) or PostgreSQL.
 */
package io.tidemark.connector.jdbc;
