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

    record Pair(long key, int namespace)
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
    void behavesLikeAHashMap(@ForAll("ops") final List<Op> ops)
    {
        final StateMap map = new StateMap();
        final Map<Pair, Integer> model = new HashMap<>();
        for (final Op op : ops)
        {
            final Long key = op.key();
            final Integer namespace = op.namespace();
            final int hash = StateMap.hash(key.hashCode(), namespace);
            final Pair pair = new Pair(op.key(), op.namespace());
            switch (op.kind())
            {
                case 0 -> assertEquals(model.put(pair, op.value()), map.put(key, namespace, hash, op.value()));
                case 1 -> assertEquals(model.remove(pair), map.remove(key, namespace, hash));
                default -> assertEquals(model.get(pair), map.get(key, namespace, hash));
            }
            assertEquals(model.size(), map.size());
        }
        for (final Map.Entry<Pair, Integer> entry : model.entrySet())
        {
            final Long key = entry.getKey().key();
            final Integer namespace = entry.getKey().namespace();
            assertEquals(entry.getValue(), map.get(key, namespace, StateMap.hash(key.hashCode(), namespace)));
        }
    }
}
