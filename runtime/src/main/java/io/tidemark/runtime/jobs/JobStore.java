package io.tidemark.runtime.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs' part of the data directory:
 *
 * <pre>
 * jobs/jars/&lt;jarId&gt;.jar          uploaded jars, named by the first 16 hex digits of their SHA-256
 * jobs/&lt;jobId&gt;/job.json           the submission and the last known state ({@link JobJson})
 * jobs/&lt;jobId&gt;/job.jar            a jar job's jar, copied from jobs/jars
 * jobs/&lt;jobId&gt;/checkpoints/       the job's checkpoint directory
 * jobs/&lt;jobId&gt;/savepoints/        savepoints taken without a directory of their own
 * </pre>
 *
 * Every file is written to a temporary name, forced to disk and renamed, so that a crash
 * leaves the old or the new file, never half of one.
 */
final class JobStore
{
    private static final Logger LOG = LoggerFactory.getLogger(JobStore.class);
    private static final String JOB_FILE = "job.json";
    private static final String TEMPORARY = ".tmp";
    private static final Pattern JOB_ID = Pattern.compile("[0-9a-f]{8}");
    private static final Pattern JAR_ID = Pattern.compile("[0-9a-f]{16}");

    private final Path root;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param dataDir the server's data directory.
     * @throws UncheckedIOException if {@code jobs/} cannot be made.
     */
    JobStore(final Path dataDir)
    {
        this.root = dataDir.resolve("jobs");
        try
        {
            Files.createDirectories(jars());
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot make the jobs directory " + root + ": " + e.getMessage(), e);
        }
    }

    private Path jars()
    {
        return root.resolve("jars");
    }

    /**
     * @param jobId a job's id.
     * @return its directory.
     */
    Path directory(final String jobId)
    {
        return root.resolve(jobId);
    }

    /**
     * @param jobId a job's id.
     * @return its checkpoint directory.
     */
    Path checkpoints(final String jobId)
    {
        return directory(jobId).resolve("checkpoints");
    }

    /**
     * @param jobId a job's id.
     * @return where its savepoints go by default.
     */
    Path savepoints(final String jobId)
    {
        return directory(jobId).resolve("savepoints");
    }

    /**
     * @param jobId a job's id.
     * @return its copy of its jar.
     */
    Path jar(final String jobId)
    {
        return directory(jobId).resolve("job.jar");
    }

    /**
     * Makes the directory of a new job.
     *
     * @return the new job's id: 8 random lowercase hex digits, not used by another job.
     * @throws IOException if the directory cannot be made.
     */
    String newJob() throws IOException
    {
        while (true)
        {
            final String id = String.format("%08x", random.nextInt());
            try
            {
                Files.createDirectory(directory(id));
                return id;
            }
            catch (final FileAlreadyExistsException e)
            {
                // Taken: draw again.
            }
        }
    }

    /**
     * Copies an uploaded jar into a job's directory.
     *
     * @param jobId the job.
     * @param jarId the jar's id.
     * @throws JobSubmissionException if there is no such jar.
     * @throws IOException if it cannot be copied.
     */
    void copyJar(final String jobId, final String jarId) throws IOException
    {
        final Path jar = jars().resolve(jarId + ".jar");
        if (!JAR_ID.matcher(jarId).matches() || !Files.isRegularFile(jar))
        {
            throw new JobSubmissionException("no uploaded jar '" + jarId + "'; upload it first");
        }
        final Path target = jar(jobId);
        final Path temporary = target.resolveSibling(target.getFileName() + TEMPORARY);
        Files.copy(jar, temporary, StandardCopyOption.REPLACE_EXISTING);
        force(temporary);
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Stores an uploaded jar under the first 16 hex digits of its SHA-256: the same jar
     * uploaded twice is stored once.
     *
     * @param jar the jar's bytes.
     * @return its id.
     * @throws JobSubmissionException if it is not a zip file (as every jar is).
     * @throws IOException if it cannot be written.
     */
    String storeJar(final InputStream jar) throws IOException
    {
        final Path temporary = Files.createTempFile(jars(), "upload-", TEMPORARY);
        try
        {
            final MessageDigest digest = sha256();
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(temporary), digest))
            {
                jar.transferTo(out);
            }
            checkZip(temporary);
            force(temporary);
            final String id = HexFormat.of().formatHex(digest.digest()).substring(0, 16);
            Files.move(temporary, jars().resolve(id + ".jar"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return id;
        }
        finally
        {
            Files.deleteIfExists(temporary);
        }
    }

    private static void checkZip(final Path file) throws IOException
    {
        try (ZipFile zip = new ZipFile(file.toFile()))
        {
            if (zip.size() == 0)
            {
                throw new JobSubmissionException("the upload is an empty jar: it has no classes");
            }
        }
        catch (final ZipException e)
        {
            throw new JobSubmissionException("the upload is not a jar (not a zip file: " + e.getMessage() + ")", e);
        }
    }

    private static MessageDigest sha256()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException e)
        {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * Writes a job's {@code job.json}.
     *
     * @param job the job's record.
     * @throws IOException if it cannot be written.
     */
    void write(final JobRecord job) throws IOException
    {
        final Path target = directory(job.id()).resolve(JOB_FILE);
        final Path temporary = target.resolveSibling(JOB_FILE + TEMPORARY);
        Files.write(temporary, JobJson.write(job));
        force(temporary);
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * @return every job's record; a directory without a readable {@code job.json} is left as
     * it is and said so in the log.
     * @throws IOException if {@code jobs/} cannot be listed.
     */
    List<JobRecord> readAll() throws IOException
    {
        final List<JobRecord> jobs = new ArrayList<>();
        try (DirectoryStream<Path> directories = Files.newDirectoryStream(root, path -> JOB_ID.matcher(path.getFileName().toString()).matches()))
        {
            for (final Path directory : directories)
            {
                final Path file = directory.resolve(JOB_FILE);
                Files.deleteIfExists(directory.resolve(JOB_FILE + TEMPORARY));
                if (!Files.exists(file))
                {
                    LOG.warn("job directory {} has no {}: a submission that did not finish; left as it is", directory, JOB_FILE);
                    continue;
                }
                try
                {
                    jobs.add(JobJson.read(Files.readAllBytes(file)));
                }
                catch (final IOException e)
                {
                    LOG.error("cannot read {}: {}; the job is left out until it is repaired", file, e.getMessage());
                }
            }
        }
        return jobs;
    }

    /**
     * Deletes the directory of a job whose submission was refused.
     *
     * @param jobId the job.
     */
    void delete(final String jobId)
    {
        try
        {
            Files.walkFileTree(directory(jobId), new SimpleFileVisitor<>()
            {
                @Override
                public FileVisitResult visitFile(final Path file, final BasicFileAttributes attributes) throws IOException
                {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(final Path directory, final IOException failure) throws IOException
                {
                    Files.delete(directory);
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        catch (final IOException e)
        {
            LOG.warn("cannot delete the directory of the refused job {}: {}", jobId, e.getMessage());
        }
    }

    private static void force(final Path file) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.force(true);
        }
    }
}
