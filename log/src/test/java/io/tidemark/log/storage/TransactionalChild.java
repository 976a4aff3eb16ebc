package io.tidemark.log.storage;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.agrona.concurrent.SystemEpochClock;

/**
 * The child JVM of {@link TransactionRecoveryTest}: opens a log, writes {@link
 * TransactionRecoveryTest#writeTransactions} (rolling several segments, with a transaction
 * left open), prints {@code READY} and the state the parent must find again, then waits to be
 * killed with SIGKILL (or halts when its stdin closes, so that it cannot outlive its parent).
 */
public final class TransactionalChild
{
    private TransactionalChild()
    {
    }

    /**
     * @param args the partition directory.
     */
    public static void main(final String[] args) throws IOException
    {
        final PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        final SegmentedLog log = SegmentedLog.open(TransactionRecoveryTest.TP, Path.of(args[0]), TransactionRecoveryTest.config(),
            SystemEpochClock.INSTANCE);
        TransactionRecoveryTest.writeTransactions(log);
        out.println("READY " + TransactionRecoveryTest.state(log));
        out.flush();
        while (System.in.read() >= 0)
        {
            // the parent never writes; end of input means the parent is gone
        }
        Runtime.getRuntime().halt(3);
    }
}
