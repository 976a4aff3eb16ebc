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
 * finds any timer, and polling yields timers by time, then by first registration. Keys 0-2
 * are {@code Long}s, given boxed or by value at random (both forms are one key), keys 3-5
 * strings. Deleted timers stay in the heap until they come to its head or outnumber the
 * live ones, so a second run mostly adds and deletes timers over many times, and polls
 * seldom.
 */
class TimerQueueProperties
{
    record Op(int kind, long key, long time, boolean byValue)
    {
        Object boxedKey()
        {
            return key < 3 ? (Object)key : "k" + key;
        }

        boolean add(final TimerQueue queue)
        {
            return key < 3 && byValue ? queue.addLong(key, "ns", time) : queue.add(boxedKey(), "ns", time);
        }

        boolean remove(final TimerQueue queue)
        {
            return key < 3 && byValue ? queue.removeLong(key, "ns", time) : queue.remove(boxedKey(), "ns", time);
        }
    }

    /** A timer's identity in the model. */
    record Id(long key, long time)
    {
    }

    @Provide
    Arbitrary<List<Op>> ops()
    {
        return Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.longs().between(0, 5), Arbitraries.longs().between(0, 20), Arbitraries.of(true, false))
            .as(Op::new).list().ofMaxSize(300);
    }

    @Provide
    Arbitrary<List<Op>> churn()
    {
        return Combinators.combine(Arbitraries.integers().between(0, 20).map(k -> k < 10 ? 0 : (k < 18 ? 2 : 3)), Arbitraries.longs().between(0, 5), Arbitraries.longs().between(0, 20),
            Arbitraries.of(true, false)).as(Op::new).list().ofMaxSize(600);
    }

    @Property(tries = 300)
    void behavesLikeASortedMapOfTimers(@ForAll("ops") final List<Op> ops)
    {
        check(ops);
    }

    @Property(tries = 200)
    void deletedTimersNeverFireNorCount(@ForAll("churn") final List<Op> ops)
    {
        check(ops);
    }

    @Property(tries = 50)
    void firedAndDeletedTimersGiveTheirRoomBack(@ForAll("churn") final List<Op> ops)
    {
        final TimerQueue queue = new TimerQueue();
        for (int round = 0; round < 200; round++)
        {
            for (final Op op : ops)
            {
                if (op.kind() == 0)
                {
                    op.add(queue);
                }
                else if (op.kind() == 2)
                {
                    op.remove(queue);
                }
            }
            while (!queue.isEmpty())
            {
                queue.removeHead();
            }
            assertEquals(0, queue.size());
        }
        // At most 126 distinct timers (6 keys, 21 times) are ever held at once.
        assertTrue(queue.entryCapacity() <= 256, "entries held: " + queue.entryCapacity());
    }

    private static void check(final List<Op> ops)
    {
        final TimerQueue queue = new TimerQueue();
        // (time, sequence) -> timer: the firing order.
        final TreeMap<List<Long>, Id> model = new TreeMap<>((a, b) -> a.get(0).equals(b.get(0)) ? Long.compare(a.get(1), b.get(1)) : Long.compare(a.get(0), b.get(0)));
        final java.util.Map<Id, Long> sequenceOf = new java.util.HashMap<>();
        long sequence = 0;
        for (final Op op : ops)
        {
            final Id id = new Id(op.key(), op.time());
            switch (op.kind())
            {
                case 0, 1 ->
                {
                    final boolean added = op.add(queue);
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
                    assertEquals(removed != null, op.remove(queue));
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
                        final Object head = queue.headKey();
                        assertEquals(expected.key() < 3, queue.headKeyIsLong());
                        final long headKey = queue.headKeyIsLong() ? queue.headLongKey() : Long.parseLong(((String)head).substring(1));
                        assertEquals(expected.key() < 3 ? (Object)headKey : "k" + headKey, head);
                        assertEquals(expected, new Id(headKey, queue.headTimestamp()));
                        queue.removeHead();
                    }
                }
            }
            assertEquals(model.size(), queue.size());
        }
    }
}
