package io.tidemark.engine.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The heap with its hash index against a sorted map: adding twice keeps one timer, removal
 * finds any timer, and polling yields timers by time, then by first registration.
 */
class TimerQueueProperties
{
    record Op(int kind, long key, long time)
    {
    }

    /** A timer's identity in the model. */
    record Id(long key, long time)
    {
    }

    @Provide
    Arbitrary<List<Op>> ops()
    {
        return Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.longs().between(0, 5), Arbitraries.longs().between(0, 20))
            .as(Op::new).list().ofMaxSize(300);
    }

    @Property(tries = 300)
    void behavesLikeASortedMapOfTimers(@ForAll("ops") final List<Op> ops)
    {
        final TimerQueue queue = new TimerQueue();
        // (time, sequence) -> timer: the firing order.
        final TreeMap<List<Long>, Id> model = new TreeMap<>((a, b) -> a.get(0).equals(b.get(0)) ? Long.compare(a.get(1), b.get(1)) : Long.compare(a.get(0), b.get(0)));
        final java.util.Map<Id, Long> sequenceOf = new java.util.HashMap<>();
        long sequence = 0;
        for (final Op op : ops)
        {
            final Long key = op.key();
            final Id id = new Id(op.key(), op.time());
            switch (op.kind())
            {
                case 0, 1 ->
                {
                    final boolean added = queue.add(key, "ns", op.time());
                    assertEquals(!sequenceOf.containsKey(id), added);
                    if (added)
                    {
                        sequenceOf.put(id, sequence);
                        model.put(List.of(op.time(), sequence), id);
                        sequence++;
                    }
                }
                case 2 ->
                {
                    final Long removed = sequenceOf.remove(id);
                    assertEquals(removed != null, queue.remove(key, "ns", op.time()));
                    if (removed != null)
                    {
                        model.remove(List.of(op.time(), removed));
                    }
                }
                default ->
                {
                    if (model.isEmpty())
                    {
                        assertTrue(queue.isEmpty());
                    }
                    else
                    {
                        final Id expected = model.pollFirstEntry().getValue();
                        sequenceOf.remove(expected);
                        assertEquals(expected, new Id((Long)queue.headKey(), queue.headTimestamp()));
                        queue.removeHead();
                    }
                }
            }
            assertEquals(model.size(), queue.size());
        }
    }
}
