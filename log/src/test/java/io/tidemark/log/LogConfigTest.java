package io.tidemark.log;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class LogConfigTest
{
    @Test
    void onlyAFlushPolicyMakesAppendsForceTheDisk()
    {
        assertFalse(LogConfig.DEFAULTS.forcesFlushes(), "Kafka's defaults leave flushing to the operating system");
        assertTrue(LogConfig.DEFAULTS.withOverrides(Map.of(LogConfig.FLUSH_MESSAGES, "1")).forcesFlushes());
        assertTrue(LogConfig.DEFAULTS.withOverrides(Map.of(LogConfig.FLUSH_MESSAGES, "10000")).forcesFlushes());
        assertTrue(LogConfig.DEFAULTS.withOverrides(Map.of(LogConfig.FLUSH_MS, "1000")).forcesFlushes());
        assertFalse(LogConfig.DEFAULTS.withOverrides(Map.of(LogConfig.RETENTION_MS, "1000")).forcesFlushes());
    }
}
