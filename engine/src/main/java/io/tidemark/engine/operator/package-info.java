/**
 * Operators and what they run on: the {@link io.tidemark.engine.operator.StreamOperator}
 * contract with its {@link io.tidemark.engine.operator.OneInputOperator} and
 * {@link io.tidemark.engine.operator.TwoInputOperator} kinds, outputs, the per-key
 * {@link io.tidemark.engine.operator.TimerService}, metrics, and the basic operators (map,
 * filter, flatMap, keyed process, co-process, keyed co-process, broadcast process, sink,
 * timestamps and watermarks).
 */
package io.tidemark.engine.operator;
