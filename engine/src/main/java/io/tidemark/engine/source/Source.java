package io.tidemark.engine.source;

import io.tidemark.engine.state.Serializers;
import io.tidemark.engine.state.TypeSerializer;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Where a job's records come from. At job start the source is cut into splits, split
 * {@code i} goes to subtask {@code i % parallelism}, and each subtask reads its splits with
 * one {@link SplitReader} each. A subtask with no split is idle from the start, until it finds
 * one by {@link #discoverSplits discovery}. Readers, discoveries and
 * {@link #closeSubtask} of one subtask are all called on that subtask's thread.
 *
 * @param <T> the record type.
 * @param <S> the split type.
 */
public interface Source<T, S extends SourceSplit>
{
    /**
     * @param parallelism the source's parallelism, a hint for how finely to cut.
     * @return the splits.
     */
    List<S> createSplits(int parallelism);

    /**
     * @param split a split of this source.
     * @return a reader positioned at its start.
     * @throws Exception if the split cannot be opened.
     */
    SplitReader<T> createReader(S split) throws Exception;

    /**
     * Opens a reader on a given subtask. A source whose readers on one subtask share a
     * resource (one client for all of a subtask's partitions) overrides this; by default,
     * {@link #createReader(SourceSplit)}.
     *
     * @param split   a split of this source.
     * @param context the subtask that will read it.
     * @return a reader positioned at its start.
     * @throws Exception if the split cannot be opened.
     */
    default SplitReader<T> createReader(final S split, final SourceContext context) throws Exception
    {
        return createReader(split);
    }

    /**
     * @return how often each source subtask asks {@link #discoverSplits} for splits that
     * appeared while the job runs (a topic that gained partitions); {@link Duration#ZERO}, the
     * default, for a source whose splits are fixed when the job starts.
     */
    default Duration discoveryInterval()
    {
        return Duration.ZERO;
    }

    /**
     * Looks for splits that appeared since the job started, on the subtask's own thread: it
     * must not block for long (a source that asks a remote system does so on a thread of its
     * own and hands the answer over here). Every subtask of the source knows the same splits at
     * start (all the fresh splits, or all the splits of the checkpoint it resumes), and each
     * split found later belongs to exactly one subtask, which this method alone decides, so no
     * two subtasks ever read the same split.
     *
     * @param context the subtask asking.
     * @param known   the ids of the splits the asking subtask knows: every split of the job at
     *                its start and those this subtask found since.
     * @return the new splits this subtask is to read, none known before.
     * @throws Exception to fail the job.
     */
    default List<S> discoverSplits(final SourceContext context, final Set<String> known) throws Exception
    {
        return List.of();
    }

    /**
     * Releases what the readers and discoveries of one subtask shared (a client), once the
     * subtask stops: its splits ended, or the job was cancelled or failed. Called on the
     * subtask's thread after every reader it opened was closed, also for a subtask that opened
     * none.
     *
     * @param context the subtask that stopped.
     * @throws Exception if releasing fails; it fails the job if it still runs.
     */
    default void closeSubtask(final SourceContext context) throws Exception
    {
    }

    /**
     * @return how long a split may go without records before its watermark stops holding the
     * job back, when the job's {@link io.tidemark.engine.time.WatermarkStrategy} sets no idle
     * timeout of its own; {@link Duration#ZERO}, the default, for none. A source whose splits
     * commonly go quiet (a partition nobody writes to) supplies one, so that event time is not
     * stalled by surprise.
     */
    default Duration defaultIdleTimeout()
    {
        return Duration.ZERO;
    }

    /**
     * @return how checkpoints store this source's splits; by default
     * {@link io.tidemark.engine.state.Serializers#any()}, which handles records of common
     * types and {@link java.io.Serializable} splits.
     */
    default TypeSerializer<S> splitSerializer()
    {
        return Serializers.any();
    }

    /**
     * @return whether this source's readers fill one {@link io.tidemark.engine.functions.ReusableRecord}
     * anew for every record they emit; false, the default, for a source that emits a new
     * record each time. The engine copies the records of a source that says so where they
     * leave its thread or reach an operator chained to it; no other producer's records are copied.
     */
    default boolean reusesRecords()
    {
        return false;
    }

    /**
     * @return whether every split ends; an unbounded job runs until cancelled.
     */
    boolean isBounded();
}
