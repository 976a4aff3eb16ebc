package io.tidemark.engine.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * A reader's {@link SplitReader#currentSplit()}, stored with the source's split serializer as
 * a checkpoint stores it, gives a reader that emits exactly what the first had not.
 */
class SplitPositionTest
{
    @Test
    void aGeneratorSplitResumesAtItsNextIndexUnderTheSameId() throws Exception
    {
        final GeneratorSource<Long> source = GeneratorSource.of(2_000, i -> i).withSplits(3);
        final GeneratorSource.Split fresh = source.createSplits(1).get(1);
        final List<Long> read = new ArrayList<>();
        final SplitReader<Long> first = source.createReader(fresh);
        first.read(collector(read));
        final GeneratorSource.Split stoppedAt = roundTrip(source, (GeneratorSource.Split)first.currentSplit());
        assertEquals(fresh.splitId(), stoppedAt.splitId(), "a split keeps its id as it moves on");
        drain(source.createReader(stoppedAt), read);
        assertEquals(LongStream.range(0, 2_000).filter(i -> i % 3 == 1).boxed().toList(), read);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aCollectionSplitResumesWithWhatIsLeftOfIt() throws Exception
    {
        final List<String> elements = new ArrayList<>();
        for (int i = 0; i < 700; i++)
        {
            elements.add("e" + i);
        }
        final CollectionSource<String> source = CollectionSource.of(elements);
        final List<String> read = new ArrayList<>();
        final SplitReader<String> first = source.createReader(source.createSplits(1).get(0));
        first.read(collector(read));
        final CollectionSource.Split<String> stoppedAt = roundTrip(source, (CollectionSource.Split<String>)first.currentSplit());
        assertEquals("collection-0", stoppedAt.splitId());
        drain(source.createReader(stoppedAt), read);
        assertEquals(elements, read);
    }

    private static <T> void drain(final SplitReader<T> reader, final List<T> into) throws Exception
    {
        while (reader.read(collector(into)) != ReadStatus.END_OF_SPLIT)
        {
            // To the end of the split.
        }
    }

    private static <T, S extends SourceSplit> S roundTrip(final Source<T, S> source, final S split) throws Exception
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        source.splitSerializer().serialize(split, new DataOutputStream(bytes));
        return source.splitSerializer().deserialize(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    }

    private static <T> SourceOutput<T> collector(final List<T> into)
    {
        return new SourceOutput<>()
        {
            @Override
            public void collect(final T value)
            {
                into.add(value);
            }

            @Override
            public void collect(final T value, final long timestamp)
            {
                into.add(value);
            }
        };
    }
}
