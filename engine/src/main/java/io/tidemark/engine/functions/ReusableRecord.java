package io.tidemark.engine.functions;

/**
 * A mutable record that a source may fill anew for every record it emits (see
 * {@link io.tidemark.engine.source.GeneratorSource#reusing}), so that producing a record
 * allocates nothing.
 *
 * <p><b>Object reuse.</b> Reuse is a property of the producer, not of the type: only a source
 * that says it reuses its records ({@link io.tidemark.engine.source.Source#reusesRecords},
 * true for {@link io.tidemark.engine.source.GeneratorSource#reusing}) has them copied, once
 * per record, and no operator that may keep it ever sees the record its source refills. If
 * such an operator is chained to such a source (a map, a filter, a sink in the same task), or
 * an at-most-once task holds records back, the source task hands on a copy of each record,
 * which the operators may keep like any other; an operator chained to it that keeps nothing
 * of its input (the slice pre-aggregation of a window with a {@link LongAggregateFunction})
 * takes the source's own record. Otherwise the source's records go straight to channels,
 * and each channel copies them on the way in: into a fresh record if the consuming operator
 * may keep its input, otherwise into a record the channel owns and reuses for every record
 * that passes through the same slot, so that the hop allocates nothing. The engine's slicing
 * and session window operators with a {@link LongAggregateFunction} and no side output for
 * late records keep nothing of their input and take the recycled records; their aggregate
 * function (its {@code addLong}, the field it reads) must not keep the record either. A map
 * or a filter takes them only when its job turns object reuse on
 * ({@link io.tidemark.engine.task.ExecutionConfig#objectReuse(boolean)}, off by default) and
 * its consumers chained in the same task keep nothing (down to a sink whose
 * {@link io.tidemark.engine.sink.Sink#keepsRecords} is false): turning it on promises that
 * every map and filter function of the job keeps nothing of its input past the call except
 * through what it returns. Without it, such a function gets records of its own, which it may
 * keep (a last value per key, a dedupe set). A
 * record of this type made anew by its producer (any other source, any operator) crosses
 * channels by reference, uncopied, like a record of any other type.
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
