package io.tidemark.engine.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class DoorbellTest
{
    /** Records which thread ran each lent round, and answers as told. */
    private static final class Recorded implements Doorbell.Lendable
    {
        final List<Thread> ranOn = new CopyOnWriteArrayList<>();
        private final boolean callsOwnThread;
        private final boolean leavesInput;

        /**
         * @param callsOwnThread what each round answers: whether the task's own thread must take over.
         * @param leavesInput    whether input is left after each round.
         */
        Recorded(final boolean callsOwnThread, final boolean leavesInput)
        {
            this.callsOwnThread = callsOwnThread;
            this.leavesInput = leavesInput;
        }

        @Override
        public boolean runLent()
        {
            ranOn.add(Thread.currentThread());
            return callsOwnThread;
        }

        @Override
        public boolean hasInput()
        {
            return leavesInput;
        }
    }

    /**
     * Starts the task's thread asleep on the doorbell, held in its last look at the input (as a
     * thread waiting for a core would be) until {@code release} is set.
     */
    private static Thread heldOwner(final Doorbell doorbell, final AtomicBoolean release) throws InterruptedException
    {
        final CountDownLatch asleep = new CountDownLatch(1);
        final Thread owner = new Thread(() -> doorbell.sleep(TimeUnit.SECONDS.toNanos(30), () ->
        {
            asleep.countDown();
            // Spins rather than parks: a park would take the permit its wake-up leaves.
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!release.get() && System.nanoTime() - deadline < 0)
            {
                Thread.onSpinWait();
            }
            return false;
        }), "owner");
        owner.start();
        assertTrue(asleep.await(30, TimeUnit.SECONDS));
        return owner;
    }

    /**
     * The task's thread, woken because a writer left input behind, has not run yet: a writer
     * that publishes meanwhile runs the round itself rather than leave its record to wait for
     * that thread, and the thread still takes the task back once it runs.
     */
    @Test
    void aWriterRunsATaskWhoseWokenThreadHasNotRunYet() throws InterruptedException
    {
        final Doorbell doorbell = new Doorbell();
        final Recorded task = new Recorded(false, true);
        doorbell.lendTo(task);
        final AtomicBoolean release = new AtomicBoolean();
        final Thread owner = heldOwner(doorbell, release);
        // Input stays behind after every round: the writer runs its rounds, then wakes the owner.
        assertTrue(doorbell.ring());
        final int first = task.ranOn.size();
        assertTrue(first >= 1, "the first writer ran no round");
        // The owner is woken but held: the next writer still gets the task.
        assertTrue(doorbell.ring());
        assertEquals(first + 1, task.ranOn.size(), "the second record waited for the woken thread");
        release.set(true);
        owner.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(owner.isAlive(), "the woken thread took its task back");
        // The owner holds the task now: a writer leaves the record to it.
        assertFalse(doorbell.ring());
        assertEquals(first + 1, task.ranOn.size());
    }

    /**
     * A lent round that asks for the task's own thread (it was behind, ran long, its input
     * ended or it failed) is the last lent round until that thread has run: a writer that
     * publishes before then leaves its record to it.
     */
    @Test
    void aTaskWhoseRoundCalledItsOwnThreadIsNotLentAgainBeforeThatThreadRuns() throws InterruptedException
    {
        final Doorbell doorbell = new Doorbell();
        final Recorded task = new Recorded(true, true);
        doorbell.lendTo(task);
        final AtomicBoolean release = new AtomicBoolean();
        final Thread owner = heldOwner(doorbell, release);
        assertTrue(doorbell.ring());
        assertEquals(List.of(Thread.currentThread()), task.ranOn);
        assertFalse(doorbell.ring(), "a second writer ran the task after its round called its own thread");
        assertEquals(1, task.ranOn.size());
        release.set(true);
        owner.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(owner.isAlive(), "the called thread took its task back");
    }
}
