package io.tidemark.engine.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The open-addressing map behaves like a HashMap keyed by the (key, namespace) pair. */
class StateMapProperties
{
    record Op(int kind, long key, int namespace, int value)
    {
    }

    record Pair(Object key, int namespace)
    {
    }

    @Provide
    Arbitrary<List<Op>> ops()
    {
        // Few distinct keys and namespaces, so that collisions, probing and removal inside
        // probe chains all happen.
        return Combinators.combine(
            Arbitraries.integers().between(0, 2),
            Arbitraries.longs().between(0, 40),
            Arbitraries.integers().between(0, 3),
            Arbitraries.integers()).as(Op::new).list().ofMaxSize(400);
    }

    @Property(tries = 300)
    void behavesLikeAHashMap(@ForAll("ops") final List<Op> ops) throws java.io.IOException
    {
        final StateMap map = new StateMap();
        final Map<Pair, Integer> model = new HashMap<>();
        for (final Op op : ops)
        {
            // Keys above 20 as strings (kept by reference), the others as Longs (kept by value),
            // through the object and the long methods alike; a string of the same hash as a
            // Long is another key.
            final Object key = op.key() > 20 ? String.valueOf(op.key()) : (Object)op.key();
            final Integer namespace = op.namespace();
            final int hash = StateMap.hash(key.hashCode(), namespace);
            final Pair pair = new Pair(key, op.namespace());
            final boolean byValue = key instanceof Long && op.value() % 2 == 0;
            switch (op.kind())
            {
                case 0 -> assertEquals(model.put(pair, op.value()), byValue ? map.putLong(op.key(), namespace, hash, op.value()) : map.put(key, namespace, hash, op.value()));
                case 1 -> assertEquals(model.remove(pair), byValue ? map.removeLong(op.key(), namespace, hash) : map.remove(key, namespace, hash));
                default -> assertEquals(model.get(pair), byValue ? map.getLong(op.key(), namespace, hash) : map.get(key, namespace, hash));
            }
            assertEquals(model.size(), map.size());
        }
        for (final Map.Entry<Pair, Integer> entry : model.entrySet())
        {
            final Object key = entry.getKey().key();
            final Integer namespace = entry.getKey().namespace();
            assertEquals(entry.getValue(), map.get(key, namespace, StateMap.hash(key.hashCode(), namespace)));
        }
        final Map<Pair, Object> visited = new HashMap<>();
        map.forEach((key, namespace, value) -> visited.put(new Pair(key, (Integer)namespace), value));
        assertEquals(model, visited);
    }
}
