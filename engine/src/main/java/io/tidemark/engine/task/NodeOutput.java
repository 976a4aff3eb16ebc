package io.tidemark.engine.task;

import io.tidemark.engine.functions.OutputTag;
import io.tidemark.engine.operator.Output;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The output of a node with several consumers or with side outputs: each record goes to
 * every consumer of its output (main or tagged); watermarks and idleness go to every
 * consumer of any output, because a side output's consumer needs event time too. A side
 * output nobody consumes is discarded.
 *
 * @param <T> the main output's type.
 */
final class NodeOutput<T> implements Output<T>
{
    private final Output<T>[] main;
    private final Map<OutputTag<?>, Output<Object>[]> sides;
    private final Output<?>[] everyone;

    @SuppressWarnings("unchecked")
    NodeOutput(final List<Output<T>> main, final Map<OutputTag<?>, List<Output<Object>>> sides)
    {
        this.main = (Output<T>[])main.toArray(new Output<?>[0]);
        this.sides = new java.util.HashMap<>();
        final Set<Output<?>> all = new LinkedHashSet<>(main);
        sides.forEach((tag, targets) ->
        {
            this.sides.put(tag, (Output<Object>[])targets.toArray(new Output<?>[0]));
            all.addAll(targets);
        });
        this.everyone = new ArrayList<>(all).toArray(new Output<?>[0]);
    }

    @Override
    public void collect(final T value, final long timestamp)
    {
        for (final Output<T> target : main)
        {
            target.collect(value, timestamp);
        }
    }

    @Override
    public <X> void collect(final OutputTag<X> tag, final X value, final long timestamp)
    {
        final Output<Object>[] targets = sides.get(tag);
        if (targets != null)
        {
            for (final Output<Object> target : targets)
            {
                target.collect(value, timestamp);
            }
        }
    }

    @Override
    public void emitWatermark(final long watermark)
    {
        for (final Output<?> target : everyone)
        {
            target.emitWatermark(watermark);
        }
    }

    @Override
    public void emitIdle(final boolean idle)
    {
        for (final Output<?> target : everyone)
        {
            target.emitIdle(idle);
        }
    }
}
