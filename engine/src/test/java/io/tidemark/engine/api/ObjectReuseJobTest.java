package io.tidemark.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.engine.checkpoint.CheckpointConfig;
import io.tidemark.engine.checkpoint.DeliveryGuarantee;
import io.tidemark.engine.functions.AggregateFunctions;
import io.tidemark.engine.functions.MapFunction;
import io.tidemark.engine.functions.ReusableRecord;
import io.tidemark.engine.sink.CollectSink;
import io.tidemark.engine.sink.Sink;
import io.tidemark.engine.sink.SinkWriter;
import io.tidemark.engine.source.GeneratorSource;
import io.tidemark.engine.state.KeyGroups;
import io.tidemark.engine.time.WatermarkStrategy;
import io.tidemark.engine.window.EventTimeSessionWindows;
import io.tidemark.engine.window.SlidingEventTimeWindows;
import io.tidemark.engine.window.TumblingEventTimeWindows;
import io.tidemark.engine.window.WindowResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source that fills one record per split and a key carried as a {@code long} give what
 * fresh records and boxed keys give, to window operators that recycle the channels' copies and
 * to consumers that keep what they receive alike.
 */
class ObjectReuseJobTest
{
    private static final long N = 40_000;
    private static final long USERS = 500;
    private static final int CAPACITY = 64;

    /** An event of the benchmark generator G(N, users), filled in place. */
    static final class Generated implements ReusableRecord<Generated>
    {
        long user;
        long time;
        long value;

        Generated fill(final long i)
        {
            user = Math.floorMod(i * 2654435761L, USERS);
            time = 1_700_000_000_000L + i / 100 - Math.floorMod(i * 7919L, 2000L);
            value = i % 1000;
            return this;
        }

        long user()
        {
            return user;
        }

        long time()
        {
            return time;
        }

        long value()
        {
            return value;
        }

        @Override
        public Generated copy()
        {
            final Generated copy = new Generated();
            copy.copyFrom(this);
            return copy;
        }

        @Override
        public void copyFrom(final Generated other)
        {
            user = other.user;
            time = other.time;
            value = other.value;
        }
    }

    /** What one job gave. */
    private record Results(List<String> tumbling, List<String> sliding, List<String> sessions, List<String> kept)
    {
    }

    @Test
    void reusedRecordsAndLongKeysGiveTheResultsOfFreshRecordsAndBoxedKeys()
    {
        final Results fresh = run(false);
        final Results reused = run(true);
        assertEquals(fresh, reused);
        assertEquals(N, fresh.kept().size(), "a consumer that keeps its input keeps every record, each its own");
        assertEquals(generated(), fresh.kept());
    }

    /** Every record of the source, described, in order. */
    private static List<String> generated()
    {
        final List<String> generated = new ArrayList<>();
        for (long i = 0; i < N; i++)
        {
            generated.add(describe(new Generated().fill(i)));
        }
        generated.sort(null);
        return generated;
    }

    /** Keeps a record and what its value was when the map saw it. */
    private record Holder(Generated event, long seen)
    {
    }

    @Test
    void anOperatorChainedToAReusingSourceGetsARecordOfItsOwn()
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
        final CollectSink<Holder> holders = new CollectSink<>();
        env.fromSource(GeneratorSource.reusing(N, Generated::new, (i, event) -> event.fill(i)), WatermarkStrategy.noWatermarks(), "events")
            .map(e -> new Holder(e, e.value))
            .rebalance()
            .sinkTo(holders);
        env.execute("holders");
        final List<Holder> results = holders.results();
        assertEquals(N, results.size());
        assertEquals(0, results.stream().filter(h -> h.event().value != h.seen()).count(), "records changed after the map kept them");
        assertEquals(N, results.stream().map(Holder::event).distinct().count(), "each holder has a record of its own");
    }

    /** Describes each record it is handed and notes which object it was; says whether it keeps records. */
    private static final class Recorder implements Sink<Generated>
    {
        final List<String> seen = Collections.synchronizedList(new ArrayList<>());
        final Set<Generated> objects = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
        private final boolean keeps;

        Recorder(final boolean keeps)
        {
            this.keeps = keeps;
        }

        @Override
        public SinkWriter<Generated> createWriter(final int subtaskIndex, final int parallelism)
        {
            return (value, timestamp) ->
            {
                seen.add(describe(value));
                objects.add(value);
            };
        }

        @Override
        public boolean keepsRecords()
        {
            return keeps;
        }
    }

    private static Recorder mapFilterSink(final boolean sinkKeeps, final boolean objectReuse)
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
        env.getConfig().channelCapacity(CAPACITY).objectReuse(objectReuse);
        final Recorder recorder = new Recorder(sinkKeeps);
        env.fromSource(GeneratorSource.reusing(N, Generated::new, (i, event) -> event.fill(i)), WatermarkStrategy.noWatermarks(), "events")
            .keyByLong(Generated::user)
            .map(e -> e)
            .filter(e -> true)
            .sinkTo(recorder);
        env.execute(sinkKeeps ? "keeping" : "recycling");
        return recorder;
    }

    @Test
    void withObjectReuseAMapAndAFilterBeforeASinkThatKeepsNothingTakeTheRecordsTheChannelsRecycle()
    {
        final Recorder recorder = mapFilterSink(false, true);
        assertEquals(generated(), recorder.seen.stream().sorted().toList());
        // Two producers times two consumers: four channels, each with its own records per slot.
        assertTrue(recorder.objects.size() <= 4 * CAPACITY, recorder.objects.size() + " records for " + N + " events: the channels copied into new ones");
    }

    @Test
    void withObjectReuseAMapAndAFilterBeforeASinkThatKeepsRecordsHandItRecordsOfItsOwn()
    {
        final Recorder recorder = mapFilterSink(true, true);
        assertEquals(generated(), recorder.seen.stream().sorted().toList());
        assertEquals(N, recorder.objects.size(), "each record the sink may keep is its own");
    }

    @Test
    void withoutObjectReuseAMapAndAFilterGetRecordsOfTheirOwnWhateverTheSinkKeeps()
    {
        final Recorder recorder = mapFilterSink(false, false);
        assertEquals(generated(), recorder.seen.stream().sorted().toList());
        assertEquals(N, recorder.objects.size(), "the map and the filter may keep their input: each record is their own");
    }

    private static final AtomicLong CHANGED_UNDER_THE_MAP = new AtomicLong();

    /** Remembers each user's last event, as a dedupe or last-value map does; counts the remembered events that changed since. */
    private static final class LastPerUser implements MapFunction<Generated, Generated>
    {
        private static final long serialVersionUID = 1L;
        private transient Map<Long, Generated> last;

        @Override
        public Generated map(final Generated e)
        {
            if (last == null)
            {
                last = new HashMap<>();
            }
            final Generated previous = last.put(e.user(), e);
            if (previous != null && previous.user() != e.user())
            {
                CHANGED_UNDER_THE_MAP.incrementAndGet();
            }
            return e;
        }
    }

    @Test
    void withoutObjectReuseAMapThatKeepsItsInputBeforeASinkThatKeepsNothingSeesWhatItKeptUnchanged()
    {
        CHANGED_UNDER_THE_MAP.set(0);
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
        env.getConfig().channelCapacity(CAPACITY);
        final Recorder recorder = new Recorder(false);
        env.fromSource(GeneratorSource.reusing(N, Generated::new, (i, event) -> event.fill(i)), WatermarkStrategy.noWatermarks(), "events")
            .keyByLong(Generated::user)
            .map(new LastPerUser())
            .sinkTo(recorder);
        env.execute("keeping map");
        assertEquals(generated(), recorder.seen.stream().sorted().toList());
        assertEquals(0, CHANGED_UNDER_THE_MAP.get(), "a remembered event changed under the map: its channel recycled it");
    }

    @Test
    void aCollectSinkChainedToAReusingSourceKeepsEveryRecord()
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
        final CollectSink<Generated> kept = new CollectSink<>();
        env.fromSource(GeneratorSource.reusing(N, Generated::new, (i, event) -> event.fill(i)), WatermarkStrategy.noWatermarks(), "events").sinkTo(kept);
        env.execute("kept");
        assertTrue(generated().equals(kept.results().stream().map(ObjectReuseJobTest::describe).sorted().toList()), "the sink kept every record as it was");
    }

    @Test
    void anAtMostOnceSourceHoldsACopyOfEachRecordItReuses(@TempDir final Path dir)
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
        env.enableCheckpointing(CheckpointConfig.every(Duration.ofSeconds(10)).withGuarantee(DeliveryGuarantee.AT_MOST_ONCE).withDirectory(dir));
        final CollectSink<Generated> kept = new CollectSink<>();
        env.fromSource(GeneratorSource.reusing(N, Generated::new, (i, event) -> event.fill(i)), WatermarkStrategy.noWatermarks(), "events")
            .rebalance()
            .sinkTo(kept);
        env.execute("held");
        assertTrue(generated().equals(kept.results().stream().map(ObjectReuseJobTest::describe).sorted().toList()), "the sink kept every record as it was");
    }

    @Test
    void aLongKeyGoesToTheKeyGroupOfItsLong()
    {
        for (final long key : new long[] {0, 1, -1, 42, 1L << 32, Long.MIN_VALUE, Long.MAX_VALUE, 2654435761L})
        {
            assertEquals(KeyGroups.keyGroupFor(Long.valueOf(key), 128), KeyGroups.keyGroupForLong(key, 128), "key " + key);
        }
    }

    private static Results run(final boolean reuse)
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
        final GeneratorSource<Generated> source = reuse ? GeneratorSource.reusing(N, Generated::new, (i, event) -> event.fill(i))
            : GeneratorSource.of(N, i -> new Generated().fill(i));
        final DataStream<Generated> events = env.fromSource(source,
            WatermarkStrategy.<Generated>forBoundedOutOfOrderness(Duration.ofSeconds(2)).withTimestampAssigner((e, ts) -> e.time()), "events");
        final KeyedStream<Generated, Long> byUser = reuse ? events.keyByLong(Generated::user) : events.keyBy(e -> e.user());
        final CollectSink<WindowResult<Long, Long>> tumbling = new CollectSink<>();
        final CollectSink<WindowResult<Long, Long>> sliding = new CollectSink<>();
        final CollectSink<WindowResult<Long, Long>> sessions = new CollectSink<>();
        final CollectSink<Generated> kept = new CollectSink<>();
        byUser.window(TumblingEventTimeWindows.of(Duration.ofSeconds(60))).aggregate(AggregateFunctions.<Generated>count()).sinkTo(tumbling);
        byUser.window(SlidingEventTimeWindows.of(Duration.ofSeconds(60), Duration.ofSeconds(20))).aggregate(AggregateFunctions.sumLong(Generated::value))
            .sinkTo(sliding);
        byUser.window(EventTimeSessionWindows.withGap(Duration.ofSeconds(4))).aggregate(AggregateFunctions.<Generated>count()).sinkTo(sessions);
        byUser.sinkTo(kept);
        env.execute(reuse ? "reused" : "fresh");
        return new Results(windows(tumbling), windows(sliding), windows(sessions), kept.results().stream().map(ObjectReuseJobTest::describe).sorted().toList());
    }

    private static List<String> windows(final CollectSink<WindowResult<Long, Long>> sink)
    {
        final Map<String, Long> byWindow = new TreeMap<>();
        for (final WindowResult<Long, Long> result : sink.results())
        {
            byWindow.merge(result.key() + " " + result.windowStart() + "-" + result.windowEnd(), result.value(), (a, b) ->
            {
                throw new IllegalStateException("two results for " + result);
            });
        }
        return byWindow.entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.naturalOrder())).map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    private static String describe(final Generated event)
    {
        return event.user + "/" + event.time + "/" + event.value;
    }
}
