/**
 * Sources: the split-based {@link io.tidemark.engine.source.Source} contract, collections and
 * generators. Each split gets its own watermark generator. The log and files are in
 * {@code io.tidemark.engine.connector}.
 */
package io.tidemark.engine.source;
