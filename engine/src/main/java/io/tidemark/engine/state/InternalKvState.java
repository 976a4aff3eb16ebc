package io.tidemark.engine.state;

/**
 * The engine's side of a keyed state handle: the namespace (a window, or
 * {@link VoidNamespace}) is chosen by the operator before each use, the key by the
 * {@link KeyedStateBackend}.
 *
 * @param <N> the namespace type.
 */
public interface InternalKvState<N> extends State
{
    /**
     * @param namespace the namespace that following calls read and write.
     */
    void setCurrentNamespace(N namespace);
}
