/**
 * Files as sources and sinks: {@link io.tidemark.connector.file.FileSource} reads CSV
 * ({@link io.tidemark.connector.file.CsvFormat}) and JSON lines
 * ({@link io.tidemark.connector.file.JsonLinesFormat}) with errors that name file and
 * line, and {@link io.tidemark.connector.file.FileSink} writes one line per record,
 * published atomically at the end of input.
 */
package io.tidemark.connector.file;
