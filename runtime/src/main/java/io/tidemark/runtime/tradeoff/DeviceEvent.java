package io.tidemark.runtime.tradeoff;

/**
 * One event of a replayed stream: which device sent it, when it happened (event time) and
 * when it reached the system (arrival time, which the harness uses as processing time).
 *
 * @param device      the device, an index into {@link EventStream#deviceName(int)}.
 * @param eventTime   when it happened, epoch milliseconds.
 * @param arrivalTime when it arrived, epoch milliseconds; never before {@code eventTime} in
 *                    generated streams.
 * @param value       a measurement, carried along so that other engines replaying the file
 *                    have something to sum.
 */
public record DeviceEvent(int device, long eventTime, long arrivalTime, long value)
{
}
