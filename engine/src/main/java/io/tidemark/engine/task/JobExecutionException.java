package io.tidemark.engine.task;

/**
 * A job failed: the cause is the first failure of any task, whose message names the task
 * and, for operator failures, the operator.
 */
public final class JobExecutionException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param jobName the job.
     * @param cause   the first failure.
     */
    public JobExecutionException(final String jobName, final Throwable cause)
    {
        super("job '" + jobName + "' failed: " + cause.getMessage(), cause);
    }
}
