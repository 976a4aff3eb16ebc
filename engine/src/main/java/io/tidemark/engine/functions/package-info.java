/**
 * The interfaces user code implements: map, filter, flatMap, key selectors, reductions,
 * aggregations and keyed process functions with timers.
 */
package io.tidemark.engine.functions;
