package io.tidemark.engine.functions;

/**
 * A mutable record that a source may fill anew for every record it emits (see
 * {@link io.tidemark.engine.source.GeneratorSource#reusing}), so that producing a record
 * allocates nothing.
 *
 * <p><b>Object reuse.</b> A reusable record is handed over by reference and is valid only for
 * the call that receives it: an operator chained in the same task as the source (a map, a
 * filter, a sink) sees the one instance, changed under it after the call returns, so a
 * function that wants to keep a record (in a field, in state, in a collection) must keep
 * {@link #copy()}. Where the record crosses to another task, the channel copies it: into a
 * fresh record if the consuming operator may keep its input, otherwise into a record the
 * channel owns and reuses for every record that passes through the same slot, so that the
 * hop allocates nothing either. The engine's slicing and session window operators with a
 * {@link LongAggregateFunction} and no side output for late records keep nothing of their
 * input and take the recycled records; their aggregate function (its {@code addLong}, the
 * field it reads) must not keep the record either. Records that do not implement this
 * interface are never reused by the engine.
 *
 * @param <T> the record's own type.
 */
public interface ReusableRecord<T extends ReusableRecord<T>>
{
    /**
     * @return a new record, equal to this one and sharing nothing mutable with it.
     */
    T copy();

    /**
     * Makes this record equal to {@code other}, sharing nothing mutable with it.
     *
     * @param other the record to copy; of this record's class.
     */
    void copyFrom(T other);
}
