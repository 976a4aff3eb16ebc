package io.tidemark.bench.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import org.junit.jupiter.api.Test;

class ProcessCpuTest
{
    @Test
    void userAndSystemTicksAreSummedInNanoseconds()
    {
        final String line = "13130 (java) S 13127 13127 3105 0 -1 4194304 98 0 0 0 250 31 0 0 20 0 40 0 407827 3133440 361";
        assertEquals(281 * 10_000_000L, ProcessCpu.parseStat(line));
    }

    @Test
    void aProcessNameWithSpacesAndParenthesesDoesNotShiftTheFields()
    {
        final String line = "7 (a (b) c) R 1 1 1 0 -1 0 0 0 0 0 3 4 0 0 20 0 1 0 5 6 7";
        assertEquals(7 * 10_000_000L, ProcessCpu.parseStat(line));
    }

    @Test
    void somethingElseIsRejected()
    {
        assertThrows(IllegalArgumentException.class, () -> ProcessCpu.parseStat("not a stat line"));
        assertThrows(IllegalArgumentException.class, () -> ProcessCpu.parseStat("1 (x) S 1 1 1 0 -1 0 0 0 0 0 u s 0"));
    }

    @Test
    void thisProcessHasUsedSomeCpuAndNoBrokerMeansNoFigure() throws IOException
    {
        final ProcessCpu self = new ProcessCpu(ProcessHandle.current().pid());
        assertTrue(self.brokerNanos() >= 0);
        assertTrue(ProcessCpu.clientNanos() > 0);
        assertEquals(-1, new ProcessCpu(0).brokerNanos());
    }
}
