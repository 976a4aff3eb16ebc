package io.tidemark.engine.state;

import java.util.Objects;

/**
 * Names a piece of keyed state and says how to store it. The name identifies the state
 * within an operator: asking twice with the same name gives the same state, and snapshots
 * find it again by name.
 *
 * @param <S> the state type this descriptor makes.
 */
public abstract class StateDescriptor<S extends State>
{
    private final String name;

    /**
     * @param name the state's name, unique within its operator.
     */
    protected StateDescriptor(final String name)
    {
        this.name = Objects.requireNonNull(name, "name");
    }

    /**
     * @return the state's name.
     */
    public final String name()
    {
        return name;
    }

    /**
     * Makes the state; called once per operator by {@link KeyedStateBackend}.
     *
     * @param backend the backend that holds the state.
     * @return the new state.
     */
    abstract BackendState<?> createState(KeyedStateBackend backend);

    /**
     * Whether a state made from {@code other} could be read as one made from this descriptor:
     * asked of the descriptor a state was made from when another names it again.
     *
     * @param other another descriptor of the same name.
     * @return whether it describes the same kind of state; subclasses add what else must match.
     */
    boolean sameShape(final StateDescriptor<?> other)
    {
        return getClass() == other.getClass();
    }

    @Override
    public String toString()
    {
        return getClass().getSimpleName() + "(" + name + ")";
    }
}
