package io.tidemark.engine.window;

import io.tidemark.engine.state.ValueState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The session windows each key has open, kept in keyed state so they survive snapshots,
 * and the merge plan for a new record's window: which open windows it merges with and the
 * window they become. Planning changes nothing, so a record that turns out to be too late
 * leaves the set as it was.
 *
 * @param <W> the window type.
 */
final class MergingWindowSet<W extends Window>
{
    /**
     * What adding a window does.
     *
     * @param target    the window the record goes into.
     * @param mergedAway open windows that disappear into {@code target}, possibly none.
     * @param existing  whether {@code target} is already open (the new window lies inside it).
     * @param <W>       the window type.
     */
    record Plan<W>(W target, List<W> mergedAway, boolean existing)
    {
    }

    private final MergingWindowAssigner<?, W> assigner;
    private final ValueState<List<W>> windows;

    MergingWindowSet(final MergingWindowAssigner<?, W> assigner, final ValueState<List<W>> windows)
    {
        this.assigner = assigner;
        this.windows = windows;
    }

    /**
     * @param window the window of a new record, for the current key.
     * @return how it merges with the key's open windows.
     */
    Plan<W> plan(final W window)
    {
        final List<W> open = windows.value();
        if (open == null)
        {
            return new Plan<>(window, List.of(), false);
        }
        final List<W> candidates = new ArrayList<>(open.size() + 1);
        candidates.addAll(open);
        candidates.add(window);
        final List<W> group = new ArrayList<>();
        final List<W> result = new ArrayList<>(1);
        assigner.mergeWindows(candidates, (toBeMerged, merged) ->
        {
            // Open windows never merge among themselves, so only the group holding the new
            // window can appear; it is found by identity, as an equal window may be open.
            for (final W member : toBeMerged)
            {
                if (member == window)
                {
                    group.addAll(toBeMerged);
                    result.add(merged);
                    return;
                }
            }
        });
        if (result.isEmpty())
        {
            return new Plan<>(window, List.of(), false);
        }
        final W target = result.get(0);
        final List<W> mergedAway = new ArrayList<>(group.size() - 1);
        for (final W member : group)
        {
            if (member != window)
            {
                mergedAway.add(member);
            }
        }
        if (mergedAway.size() == 1 && mergedAway.get(0).equals(target))
        {
            return new Plan<>(mergedAway.get(0), List.of(), true);
        }
        return new Plan<>(target, Collections.unmodifiableList(mergedAway), false);
    }

    /**
     * Makes the plan true in the set: removes the merged-away windows, adds the target.
     *
     * @param plan a plan from {@link #plan}, for the current key.
     */
    void apply(final Plan<W> plan)
    {
        if (plan.existing())
        {
            return;
        }
        final List<W> open = windows.value();
        final List<W> updated = open == null ? new ArrayList<>(1) : open;
        updated.removeAll(plan.mergedAway());
        updated.add(plan.target());
        windows.update(updated);
    }

    /**
     * @param window a window.
     * @return whether the current key has it open.
     */
    boolean contains(final W window)
    {
        final List<W> open = windows.value();
        return open != null && open.contains(window);
    }

    /**
     * @param window a window of the current key that is discarded.
     */
    void remove(final W window)
    {
        final List<W> open = windows.value();
        if (open != null && open.remove(window) && open.isEmpty())
        {
            windows.clear();
        }
    }
}
