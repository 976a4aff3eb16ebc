/**
 * The DataStream API: define a job from sources, transformations, keyed windows and sinks,
 * with names a Flink user will recognise, and run it with
 * {@link io.tidemark.engine.api.StreamExecutionEnvironment#execute()}.
 */
package io.tidemark.engine.api;
