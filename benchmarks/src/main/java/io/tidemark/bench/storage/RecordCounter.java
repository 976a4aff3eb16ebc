package io.tidemark.bench.storage;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Counts records so that JMH reports records per second beside batches per second: the
 * batch size varies by parameter, records are what the storage targets speak of.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class RecordCounter
{
    /** Records appended or read in this iteration. */
    public long records;

    /** Clears the count before each iteration. */
    @Setup(Level.Iteration)
    public void clear()
    {
        records = 0;
    }
}
