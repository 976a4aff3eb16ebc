package io.tidemark.connector.file;

import java.io.Serializable;

/**
 * How a line of a text file becomes a record. Each file is read with its own copy of the
 * format (by serialization), so a format may remember the file's header.
 *
 * @param <T> the record type.
 */
public interface LineFormat<T> extends Serializable
{
    /**
     * @param line a line, without its line break; never blank (blank lines are skipped).
     * @return the record.
     * @throws Exception if the line is malformed; the message should say what is wrong (the
     *                   source adds file and line number).
     */
    T parse(String line) throws Exception;

    /**
     * @return whether the first line of each file is a header rather than a record.
     */
    default boolean hasHeader()
    {
        return false;
    }

    /**
     * Reads the header, before any record of the file.
     *
     * @param header the first line.
     * @throws Exception if it is not a valid header.
     */
    default void readHeader(final String header) throws Exception
    {
    }
}
