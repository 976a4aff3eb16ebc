/**
 * Sources: the split-based {@link io.tidemark.engine.source.Source} contract, collections and
 * generators. Each split gets its own watermark generator.
 */
package io.tidemark.engine.source;
