package io.tidemark.engine.source;

/**
 * A part of a source that one subtask reads alone, in order: a log partition, a slice of a
 * generator, a file. Watermarks are generated per split, so one slow split holds back the
 * watermark (until idleness is declared) instead of having its records turn late.
 */
public interface SourceSplit
{
    /**
     * @return an id unique within the source, stable across runs (checkpoints will record
     * positions by it).
     */
    String splitId();
}
