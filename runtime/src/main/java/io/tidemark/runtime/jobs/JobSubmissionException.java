package io.tidemark.runtime.jobs;

/**
 * A submission the server refuses: an unknown built-in or jar, a class that is not a
 * {@link io.tidemark.engine.api.StreamJob}, a job whose definition throws, or an unknown job
 * id for cancel or resume. Its message is one line for the user; its {@link #kind()} says
 * which of these it is (the HTTP API's 400, 404 or 409).
 */
public final class JobSubmissionException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** What was wrong. */
    public enum Kind
    {
        /** The request itself: an unknown built-in, jar or class, bad arguments, a definition that throws. */
        INVALID,
        /** No job has the id. */
        UNKNOWN_JOB,
        /** The job is not in a state that allows it: resuming a running job, a savepoint of a stopped one. */
        CONFLICT
    }

    private final Kind kind;

    /**
     * @param message what was wrong, one line.
     */
    public JobSubmissionException(final String message)
    {
        this(Kind.INVALID, message, null);
    }

    /**
     * @param message what was wrong, one line.
     * @param cause   the exception behind it.
     */
    public JobSubmissionException(final String message, final Throwable cause)
    {
        this(Kind.INVALID, message, cause);
    }

    /**
     * @param kind    what was wrong.
     * @param message what was wrong, one line.
     * @param cause   the exception behind it, or {@code null}.
     */
    public JobSubmissionException(final Kind kind, final String message, final Throwable cause)
    {
        super(message, cause);
        this.kind = kind;
    }

    /**
     * @return what was wrong.
     */
    public Kind kind()
    {
        return kind;
    }
}
