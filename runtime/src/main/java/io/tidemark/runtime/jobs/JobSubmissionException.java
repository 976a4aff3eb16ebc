package io.tidemark.runtime.jobs;

/**
 * A submission the server refuses: an unknown built-in or jar, a class that is not a
 * {@link io.tidemark.engine.api.StreamJob}, a job whose definition throws, or an unknown job
 * id for cancel or resume. Its message is one line for the user; its {@link Kind} says which of
 * these it is (the HTTP API answers 400, 404 or 409 by it).
 */
public final class JobSubmissionException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** What kind of refusal. */
    public enum Kind
    {
        /** The request itself is wrong: an unknown built-in or jar, a bad class, a definition that throws. */
        INVALID,
        /** It names a job (or savepoint) that does not exist. */
        NOT_FOUND,
        /** The job is not in a state that allows it: resuming a running job, a savepoint of a stopped one. */
        CONFLICT
    }

    private final Kind kind;

    /**
     * @param message what was wrong, one line.
     */
    public JobSubmissionException(final String message)
    {
        this(Kind.INVALID, message);
    }

    /**
     * @param message what was wrong, one line.
     * @param cause   the exception behind it.
     */
    public JobSubmissionException(final String message, final Throwable cause)
    {
        super(message, cause);
        this.kind = Kind.INVALID;
    }

    /**
     * @param kind    what kind of refusal.
     * @param message what was wrong, one line.
     */
    public JobSubmissionException(final Kind kind, final String message)
    {
        super(message);
        this.kind = kind;
    }

    /**
     * @return what kind of refusal: a bad request, an unknown job, or a job in the wrong state.
     */
    public Kind kind()
    {
        return kind;
    }
}
