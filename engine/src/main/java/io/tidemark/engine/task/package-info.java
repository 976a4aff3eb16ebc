/**
 * Execution: tasks (one thread per subtask of each chain), the channels between them
 * (bounded single-producer single-consumer rings with batching, a flush timeout and
 * backpressure), and the handle of a running job.
 */
package io.tidemark.engine.task;
