/**
 * The {@code tidemark} process: the command line, the Kafka-protocol listener, the HTTP
 * dashboard and job running.
 */
package io.tidemark.runtime;
