package io.tidemark.engine.testing;

import io.tidemark.engine.functions.OutputTag;
import io.tidemark.engine.operator.Output;
import io.tidemark.engine.testing.OperatorHarness.Emitted;
import java.util.ArrayList;
import java.util.List;

/**
 * What an operator under a harness emitted, in order, and the views the harnesses give of it.
 *
 * @param <OUT> the main output's type.
 */
final class CollectedOutput<OUT> implements Output<OUT>
{
    private final List<Emitted> emitted = new ArrayList<>();

    /**
     * @return the main-output records emitted since the last call, and forgets them.
     */
    @SuppressWarnings("unchecked")
    List<OUT> takeOutput()
    {
        final List<OUT> records = new ArrayList<>();
        emitted.removeIf(e ->
        {
            if (e.kind().equals("RECORD"))
            {
                records.add((OUT)e.value());
                return true;
            }
            return false;
        });
        return records;
    }

    /**
     * @param tag a side output.
     * @param <X> its type.
     * @return the records emitted to it so far.
     */
    @SuppressWarnings("unchecked")
    <X> List<X> sideOutput(final OutputTag<X> tag)
    {
        final List<X> records = new ArrayList<>();
        for (final Emitted e : emitted)
        {
            if (e.kind().equals("SIDE") && e.tag().equals(tag))
            {
                records.add((X)e.value());
            }
        }
        return records;
    }

    /**
     * @return the watermarks emitted so far, in order.
     */
    List<Long> watermarks()
    {
        final List<Long> watermarks = new ArrayList<>();
        for (final Emitted e : emitted)
        {
            if (e.kind().equals("WATERMARK"))
            {
                watermarks.add(e.timestamp());
            }
        }
        return watermarks;
    }

    /**
     * @return everything emitted and not yet taken, in order.
     */
    List<Emitted> emitted()
    {
        return List.copyOf(emitted);
    }

    @Override
    public void collect(final OUT value, final long timestamp)
    {
        emitted.add(new Emitted("RECORD", null, value, timestamp));
    }

    @Override
    public <X> void collect(final OutputTag<X> tag, final X value, final long timestamp)
    {
        emitted.add(new Emitted("SIDE", tag, value, timestamp));
    }

    @Override
    public void emitWatermark(final long watermark)
    {
        emitted.add(new Emitted("WATERMARK", null, null, watermark));
    }

    @Override
    public void emitIdle(final boolean idle)
    {
        emitted.add(new Emitted("IDLE", null, idle, 0));
    }
}
