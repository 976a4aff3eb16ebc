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
    /** Records which thread ran each lent round; each round asks for the task's own thread. */
    private static final class Recorded implements Doorbell.Lendable
    {
        final List<Thread> ranOn = new CopyOnWriteArrayList<>();

        @Override
        public boolean runLent()
        {
            ranOn.add(Thread.currentThread());
            return true;
        }

        @Override
        public boolean hasInput()
        {
            return false;
        }
    }

    /**
     * The task's thread, woken, has not run yet (here: it is held in its last look at the
     * input, as a thread waiting for a core would be): a writer that publishes meanwhile runs
     * the round itself rather than leave its record to wait for that thread, and the thread
     * still takes the task back once it runs.
     */
    @Test
    void aWriterRunsATaskWhoseWokenThreadHasNotRunYet() throws InterruptedException
    {
        final Doorbell doorbell = new Doorbell();
        final Recorded task = new Recorded();
        doorbell.lendTo(task);
        final CountDownLatch asleep = new CountDownLatch(1);
        final AtomicBoolean release = new AtomicBoolean();
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
        // The first round asks for the task's own thread: the doorbell wakes it.
        doorbell.ring();
        assertEquals(List.of(Thread.currentThread()), task.ranOn);
        // The owner is woken but held: the next writer still gets the task.
        doorbell.ring();
        assertEquals(List.of(Thread.currentThread(), Thread.currentThread()), task.ranOn, "the second record waited for the woken thread");
        release.set(true);
        owner.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(owner.isAlive(), "the woken thread took its task back");
        // The owner holds the task now: a writer leaves the record to it.
        doorbell.ring();
        assertEquals(2, task.ranOn.size());
    }
}
