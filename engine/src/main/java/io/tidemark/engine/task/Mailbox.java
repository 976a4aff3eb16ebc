package io.tidemark.engine.task;

import io.tidemark.engine.checkpoint.CheckpointBarrier;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What other threads ask of a task, handled by the thread that runs the task (its own, or a
 * writer's during a {@link Doorbell} hand-off) between two batches, so that operators never
 * see two threads at once: a source's checkpoint trigger, and every task's news
 * of a checkpoint that completed or was aborted. Looking for mail costs the task one volatile
 * read per batch.
 */
final class Mailbox
{
    /** What a mail asks for. */
    enum Kind
    {
        /** A source takes its part in a checkpoint and sends the barrier on. */
        TRIGGER,
        /** The checkpoint is complete. */
        COMPLETE,
        /** The checkpoint was aborted. */
        ABORTED
    }

    /**
     * @param kind    what it asks for.
     * @param barrier the checkpoint it concerns.
     */
    record Mail(Kind kind, CheckpointBarrier barrier)
    {
    }

    private final ConcurrentLinkedQueue<Mail> mails = new ConcurrentLinkedQueue<>();

    /**
     * @param mail a request; from any thread.
     */
    void put(final Mail mail)
    {
        mails.add(mail);
    }

    /**
     * @param mail a request to take back if the task has not read it yet.
     */
    void withdraw(final Mail mail)
    {
        mails.remove(mail);
    }

    /**
     * @return whether a request waits.
     */
    boolean hasMail()
    {
        return !mails.isEmpty();
    }

    /**
     * @return the oldest request, or {@code null}.
     */
    Mail poll()
    {
        return mails.poll();
    }
}
