package io.tidemark.log.txn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import io.tidemark.log.PartitionLog;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.TransactionResult;
import io.tidemark.log.errors.InvalidProducerIdMappingException;
import io.tidemark.log.errors.InvalidTxnStateException;
import io.tidemark.log.errors.LogException;
import io.tidemark.log.errors.ProducerFencedException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random sequences of InitProducerId, AddPartitionsToTxn (with a produce to each partition
 * added), EndTxn and restarts, by two transactional ids, some with a stale epoch, against a
 * model of Kafka's states: every answer, every error, every description and every partition's
 * last stable offset is what the model says.
 */
class TransactionCoordinatorProperties
{
    private static final List<String> IDS = List.of("a", "b");
    private static final List<TopicPartition> PARTITIONS = List.of(TransactionFixture.P0, TransactionFixture.P1, TransactionFixture.P2);

    /** One step: who does what. */
    record Step(Kind kind, int id, Set<TopicPartition> partitions, TransactionResult result, boolean stale)
    {
    }

    enum Kind
    {
        INIT, ADD, END, RESTART
    }

    /** The model of one transactional id. */
    private static final class Model
    {
        private TransactionState state;
        private long producerId = -1;
        private short epoch;
        private final Set<TopicPartition> partitions = new HashSet<>();
        /** The next sequence per partition at the current epoch: it goes on across transactions. */
        private final Map<TopicPartition, Integer> sequences = new HashMap<>();

        private void bump(final int by)
        {
            epoch += by;
            sequences.clear();
        }

        private void complete(final TransactionState completed)
        {
            state = completed;
            partitions.clear();
        }
    }

    @Property(tries = 25)
    void theCoordinatorFollowsTheModel(@ForAll("steps") final List<Step> steps) throws IOException
    {
        final Path dir = Files.createTempDirectory("transactions");
        final TransactionFixture fixture = new TransactionFixture(dir, new TransactionConfig(60_000, 2, 60_000, 3_600_000));
        try
        {
            final Map<String, Model> models = new HashMap<>();
            IDS.forEach(id -> models.put(id, new Model()));
            for (final Step step : steps)
            {
                if (step.kind() == Kind.RESTART)
                {
                    // An open transaction stays open: the model does not change.
                    fixture.restart();
                }
                else
                {
                    apply(fixture, step, models.get(IDS.get(step.id())), IDS.get(step.id()));
                }
                check(fixture, models);
            }
        }
        finally
        {
            fixture.close();
            delete(dir);
        }
    }

    private static void apply(final TransactionFixture fixture, final Step step, final Model model, final String id)
    {
        final TransactionCoordinator coordinator = fixture.coordinator;
        final ProducerIdAndEpoch producer = new ProducerIdAndEpoch(model.producerId, (short)(step.stale() ? model.epoch - 1 : model.epoch));
        switch (step.kind())
        {
            case INIT ->
            {
                final ProducerIdAndEpoch given = coordinator.initProducerId(id, 30_000, null);
                if (model.state == null)
                {
                    model.producerId = given.producerId();
                    model.epoch = 0;
                }
                else
                {
                    model.bump(model.state == TransactionState.ONGOING ? 2 : 1);
                    model.complete(TransactionState.EMPTY);
                }
                model.state = TransactionState.EMPTY;
                assertEquals(new ProducerIdAndEpoch(model.producerId, model.epoch), given);
            }
            case ADD ->
            {
                if (refused(() -> coordinator.addPartitions(id, producer, step.partitions()), model, step.stale()))
                {
                    return;
                }
                model.state = TransactionState.ONGOING;
                for (final TopicPartition partition : step.partitions())
                {
                    model.partitions.add(partition);
                    final int sequence = model.sequences.getOrDefault(partition, 0);
                    fixture.produce(partition, producer, sequence, "record");
                    model.sequences.put(partition, sequence + 1);
                }
            }
            case END ->
            {
                final TransactionState completed = step.result() == TransactionResult.COMMIT ? TransactionState.COMPLETE_COMMIT
                    : TransactionState.COMPLETE_ABORT;
                final boolean allowed = model.state == TransactionState.ONGOING || model.state == completed;
                if (refused(() -> coordinator.endTransaction(id, producer, step.result()), model, step.stale() || !allowed))
                {
                    return;
                }
                model.complete(completed);
            }
            default -> throw new IllegalStateException(step.kind().name());
        }
    }

    /**
     * Runs a call the model may expect to fail: an unknown id fails with the mapping error, a
     * stale epoch with fencing, anything else the model refuses with an invalid state.
     *
     * @return true if the call was refused.
     */
    private static boolean refused(final Runnable call, final Model model, final boolean refuse)
    {
        if (model.state == null)
        {
            assertThrows(InvalidProducerIdMappingException.class, call::run);
            return true;
        }
        if (!refuse)
        {
            call.run();
            return false;
        }
        final LogException e = assertThrows(LogException.class, call::run);
        assertTrue(e instanceof ProducerFencedException || e instanceof InvalidTxnStateException, e.toString());
        return true;
    }

    private static void check(final TransactionFixture fixture, final Map<String, Model> models)
    {
        final Set<TopicPartition> open = new HashSet<>();
        models.forEach((id, model) ->
        {
            if (model.state != null)
            {
                final TransactionDescription described = fixture.coordinator.describe(id);
                assertEquals(model.state, described.state(), id);
                assertEquals(model.epoch, described.producerEpoch(), id);
                assertEquals(Set.copyOf(model.partitions), Set.copyOf(described.partitions()), id);
                open.addAll(model.partitions);
            }
        });
        for (final TopicPartition partition : PARTITIONS)
        {
            final PartitionLog log = fixture.logs.partition(partition);
            assertEquals(!open.contains(partition), log.lastStableOffset() == log.logEndOffset(), partition + " stable unless open");
        }
    }

    @Provide
    Arbitrary<List<Step>> steps()
    {
        final Arbitrary<Step> step = Combinators.combine(
            Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(Kind.INIT)),
                Tuple.of(5, Arbitraries.just(Kind.ADD)),
                Tuple.of(4, Arbitraries.just(Kind.END)),
                Tuple.of(1, Arbitraries.just(Kind.RESTART))),
            Arbitraries.integers().between(0, IDS.size() - 1),
            Arbitraries.of(PARTITIONS).set().ofMinSize(1).ofMaxSize(2),
            Arbitraries.of(TransactionResult.class),
            Arbitraries.integers().between(0, 9).map(i -> i == 0)).as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(30);
    }

    private static void delete(final Path dir) throws IOException
    {
        try (Stream<Path> files = Files.walk(dir))
        {
            final List<Path> all = new ArrayList<>(files.sorted(Comparator.reverseOrder()).toList());
            for (final Path file : all)
            {
                Files.delete(file);
            }
        }
        catch (final UncheckedIOException e)
        {
            throw e.getCause();
        }
    }
}
