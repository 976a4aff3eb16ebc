/**
 * Running operators by hand, for tests and for learning: push input in, read output out,
 * no threads.
 */
package io.tidemark.engine.testing;
