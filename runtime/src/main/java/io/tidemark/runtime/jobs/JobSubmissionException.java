package io.tidemark.runtime.jobs;

/**
 * A submission the server refuses: an unknown built-in or jar, a class that is not a
 * {@link io.tidemark.engine.api.StreamJob}, a job whose definition throws, or an unknown job
 * id for cancel or resume. Its message is one line for the user.
 */
public final class JobSubmissionException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong, one line.
     */
    public JobSubmissionException(final String message)
    {
        super(message);
    }

    /**
     * @param message what was wrong, one line.
     * @param cause   the exception behind it.
     */
    public JobSubmissionException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
