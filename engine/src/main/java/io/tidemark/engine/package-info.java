/**
 * The stream processing engine: the DataStream API, the job graph, tasks and channels,
 * watermarks, timers, keyed state, windows and checkpoints.
 */
package io.tidemark.engine;
