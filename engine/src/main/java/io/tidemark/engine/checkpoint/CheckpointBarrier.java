package io.tidemark.engine.checkpoint;

/**
 * The marker a checkpoint sends through every channel, in order with the records: what a
 * task received before barrier {@code id} on an input belongs to checkpoint {@code id}, what
 * it received after belongs to the next.
 *
 * @param id        the checkpoint id, increasing from 1 within a job's history.
 * @param timestamp when the coordinator triggered it, epoch milliseconds.
 * @param savepoint whether it was asked for by a user (kept until deleted by hand) rather
 *                  than taken periodically.
 */
public record CheckpointBarrier(long id, long timestamp, boolean savepoint)
{
}
