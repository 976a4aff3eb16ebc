/**
 * Joins of two keyed streams in event time: the interval join's operator
 * ({@link io.tidemark.engine.join.IntervalJoinOperator}). The window join and co-group are
 * built by the API on the window operators.
 */
package io.tidemark.engine.join;
