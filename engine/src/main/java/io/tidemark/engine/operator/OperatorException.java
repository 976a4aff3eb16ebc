package io.tidemark.engine.operator;

/**
 * A failure inside an operator or its user function, with the operator's name, carried
 * unchecked through the chain of direct calls to the task, which fails the job with it.
 */
public final class OperatorException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param operatorName the operator that failed, and its subtask.
     * @param cause        what went wrong.
     */
    public OperatorException(final String operatorName, final Throwable cause)
    {
        super("operator " + operatorName + " failed: " + cause, cause);
    }
}
