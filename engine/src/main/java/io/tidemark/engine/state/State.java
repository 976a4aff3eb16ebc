package io.tidemark.engine.state;

/**
 * Keyed state: a handle whose value depends on the key of the record being processed (and,
 * inside window operators, on the window). The engine sets the current key before calling
 * user code; a handle must only be used from inside such a call.
 */
public interface State
{
    /** Removes the value for the current key. */
    void clear();
}
