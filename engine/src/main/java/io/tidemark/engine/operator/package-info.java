/**
 * Operators and what they run on: the {@link io.tidemark.engine.operator.OneInputOperator}
 * contract, outputs, the per-key {@link io.tidemark.engine.operator.TimerService}, metrics,
 * and the basic operators (map, filter, flatMap, keyed process, sink, timestamps and
 * watermarks).
 */
package io.tidemark.engine.operator;
