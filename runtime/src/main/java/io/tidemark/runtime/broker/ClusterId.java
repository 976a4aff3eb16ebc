package io.tidemark.runtime.broker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import io.tidemark.log.errors.LogStorageException;
import io.tidemark.log.storage.DurableFile;
import org.apache.kafka.common.Uuid;

/**
 * The cluster id Metadata and DescribeCluster report: like Kafka's, a random UUID in Kafka's
 * text form (22 characters of URL-safe base64), drawn when a data directory is first served and
 * kept in its {@value #FILE} file, so that two servers tell themselves apart and a restart keeps
 * the id (Kafka's storage tool writes it to {@code meta.properties} when formatting).
 */
final class ClusterId
{
    /** The file holding the id, in the data directory. */
    static final String FILE = "cluster-id";

    private ClusterId()
    {
    }

    /**
     * @param dataDir the data directory, open and locked by this process.
     * @return the id kept there, drawn and written durably first if there is none.
     * @throws LogStorageException if the file cannot be read or written, or holds no UUID.
     */
    static String load(final Path dataDir)
    {
        final Path file = dataDir.resolve(FILE);
        try
        {
            final String kept = Files.readString(file, StandardCharsets.US_ASCII).strip();
            Uuid.fromString(kept);
            return kept;
        }
        catch (final NoSuchFileException e)
        {
            return draw(dataDir, file);
        }
        catch (final IOException | IllegalArgumentException e)
        {
            throw new LogStorageException("cannot read the cluster id in " + file + " (remove it to draw a new one): " + e, e);
        }
    }

    private static String draw(final Path dataDir, final Path file)
    {
        final String id = Uuid.randomUuid().toString();
        try
        {
            DurableFile.replace(file, ByteBuffer.wrap((id + "\n").getBytes(StandardCharsets.US_ASCII)));
            DurableFile.syncDirectory(dataDir);
        }
        catch (final IOException e)
        {
            throw new LogStorageException("cannot write the cluster id to " + file + ": " + e, e);
        }
        return id;
    }
}
