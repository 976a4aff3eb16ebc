/**
 * Keyed state: value, list, map, reducing and aggregating state, held per key group on the
 * heap by a {@link io.tidemark.engine.state.KeyedStateBackend} and written to bytes by its
 * snapshot, so that checkpoints can store it and a rescaled job can redistribute it key
 * group by key group.
 */
package io.tidemark.engine.state;
