package io.tidemark.log;

/**
 * How a transaction ended, as its control records (markers) say. The ordinals are not the
 * control record types of the format: {@link #controlType()} is.
 */
public enum TransactionResult
{
    /** Its records are dropped by read-committed readers. */
    ABORT((short)0),
    /** Its records become visible to read-committed readers. */
    COMMIT((short)1);

    private final short controlType;

    TransactionResult(final short controlType)
    {
        this.controlType = controlType;
    }

    /**
     * @return the type in a control record's key: 0 for abort, 1 for commit.
     */
    public short controlType()
    {
        return controlType;
    }
}
