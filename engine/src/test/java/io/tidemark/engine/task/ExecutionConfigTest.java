package io.tidemark.engine.task;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.Test;

class ExecutionConfigTest
{
    @Test
    void aTaskWithoutInputDoesNotYieldButAWriterWaitingForRoomDoes()
    {
        final ExecutionConfig config = new ExecutionConfig();
        final String input = config.newIdleStrategy().toString();
        final String backpressure = config.newBackpressureIdleStrategy().toString();
        assertTrue(input.contains("maxYields=0"), input);
        assertTrue(backpressure.contains("maxYields=10"), backpressure);
    }

    @Test
    void aCopyKeepsBothIdleStrategies()
    {
        final IdleStrategy input = new NoOpIdleStrategy();
        final IdleStrategy backpressure = new YieldingIdleStrategy();
        final ExecutionConfig copy = new ExecutionConfig().idleStrategy(() -> input).backpressureIdleStrategy(() -> backpressure).copy();
        assertSame(input, copy.newIdleStrategy());
        assertSame(backpressure, copy.newBackpressureIdleStrategy());
    }

    @Test
    void objectReuseIsOffUnlessSetAndACopyKeepsIt()
    {
        assertFalse(new ExecutionConfig().objectReuse());
        assertTrue(new ExecutionConfig().objectReuse(true).copy().objectReuse());
    }
}
