/**
 * The DataStream API: define a job from sources, transformations, keyed windows and sinks,
 * with names a Flink user will recognise, and run it with
 * {@link io.tidemark.engine.api.StreamExecutionEnvironment#execute()}.
 *
 * <p>Two streams meet in one operator through {@code connect} ({@link
 * io.tidemark.engine.api.ConnectedStreams}: co-map, co-process, keyed co-process), a broadcast
 * stream ({@link io.tidemark.engine.api.BroadcastConnectedStream}), an interval join
 * ({@code keyedA.intervalJoin(keyedB).between(lower, upper).process(...)}), or a window join or
 * co-group ({@code a.join(b).where(keyA).equalTo(keyB).window(assigner).apply(...)}).
 */
package io.tidemark.engine.api;
