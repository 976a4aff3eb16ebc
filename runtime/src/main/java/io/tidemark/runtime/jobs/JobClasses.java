package io.tidemark.runtime.jobs;

import io.tidemark.engine.api.StreamJob;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a job's {@link StreamJob} comes from: the server's built-in jobs, found with
 * {@link ServiceLoader} on the server's class path and named after their class
 * ({@code ClickCountsJob} is {@code click-counts}), or a class of an uploaded jar, loaded by a
 * class loader of its own whose parent is the server's (so that engine and log types are
 * shared, and the jar's classes are gone once the job ends and its loader is closed).
 */
final class JobClasses
{
    private static final Logger LOG = LoggerFactory.getLogger(JobClasses.class);

    /** A job's instance, and the class loader to close when the job ends for good ({@code null} for a built-in). */
    record Loaded(StreamJob job, URLClassLoader classLoader) implements AutoCloseable
    {
        @Override
        public void close()
        {
            if (classLoader != null)
            {
                JobClasses.close(classLoader);
            }
        }
    }

    private final ClassLoader serverLoader;
    private final Map<String, ServiceLoader.Provider<StreamJob>> builtins = new LinkedHashMap<>();

    /**
     * @param serverLoader the server's class loader: where built-ins are looked up, and the
     *                     parent of every jar's loader.
     */
    JobClasses(final ClassLoader serverLoader)
    {
        this.serverLoader = serverLoader;
        ServiceLoader.load(StreamJob.class, serverLoader).stream().forEach(provider ->
        {
            final String name = nameOf(provider.type());
            final ServiceLoader.Provider<StreamJob> earlier = builtins.putIfAbsent(name, provider);
            if (earlier != null)
            {
                LOG.warn("two built-in jobs are named '{}': {} and {}; the second is left out", name, earlier.type().getName(), provider.type().getName());
            }
        });
    }

    /**
     * @param type a job's class.
     * @return its name as a built-in: the simple name without a trailing {@code Job}, in
     * kebab-case ({@code ClickCountsJob} is {@code click-counts}).
     */
    static String nameOf(final Class<?> type)
    {
        final String simple = type.getSimpleName();
        final String base = simple.endsWith("Job") && simple.length() > 3 ? simple.substring(0, simple.length() - 3) : simple;
        final StringBuilder name = new StringBuilder();
        for (int i = 0; i < base.length(); i++)
        {
            final char c = base.charAt(i);
            final boolean wordStart = i > 0 && Character.isUpperCase(c)
                && (!Character.isUpperCase(base.charAt(i - 1)) || i + 1 < base.length() && Character.isLowerCase(base.charAt(i + 1)));
            if (wordStart)
            {
                name.append('-');
            }
            name.append(Character.toLowerCase(c));
        }
        return name.toString();
    }

    /**
     * @return the built-in jobs, in the order the class path lists them.
     */
    List<JobManager.BuiltinJob> builtins()
    {
        final List<JobManager.BuiltinJob> jobs = new ArrayList<>();
        builtins.forEach((name, provider) -> jobs.add(new JobManager.BuiltinJob(name, describe(provider))));
        return jobs;
    }

    private static String describe(final ServiceLoader.Provider<StreamJob> provider)
    {
        try
        {
            return provider.get().description();
        }
        catch (final RuntimeException | Error e)
        {
            return "(cannot describe it: " + e + ")";
        }
    }

    /**
     * @param name a built-in's name.
     * @return a new instance of it.
     * @throws JobSubmissionException if there is no such built-in, or it cannot be made.
     */
    Loaded builtin(final String name)
    {
        final ServiceLoader.Provider<StreamJob> provider = builtins.get(name);
        if (provider == null)
        {
            throw new JobSubmissionException("no built-in job '" + name + "'; the built-ins are " + String.join(", ", builtins.keySet()));
        }
        try
        {
            return new Loaded(provider.get(), null);
        }
        catch (final RuntimeException | Error e)
        {
            throw new JobSubmissionException("cannot make the built-in job '" + name + "': " + e.getMessage(), e);
        }
    }

    /**
     * Loads a class of a jar in a class loader of its own and makes an instance of it.
     *
     * @param jar       the jar.
     * @param className the class, which must implement {@link StreamJob} and have a public
     *                  no-argument constructor.
     * @return its instance and loader.
     * @throws JobSubmissionException if the class is missing, is not a {@code StreamJob}, or
     *                                cannot be made; the loader is then closed.
     */
    Loaded fromJar(final Path jar, final String className)
    {
        final URLClassLoader loader;
        try
        {
            loader = new URLClassLoader("job " + jar.getFileName(), new URL[] {jar.toUri().toURL()}, serverLoader);
        }
        catch (final MalformedURLException e)
        {
            throw new JobSubmissionException("cannot load the jar " + jar + ": " + e.getMessage(), e);
        }
        try
        {
            return new Loaded(instance(loader, className), loader);
        }
        catch (final JobSubmissionException e)
        {
            close(loader);
            throw e;
        }
    }

    private static StreamJob instance(final ClassLoader loader, final String className)
    {
        try
        {
            final Class<?> type = Class.forName(className, true, loader);
            if (!StreamJob.class.isAssignableFrom(type))
            {
                throw new JobSubmissionException("class " + className + " does not implement " + StreamJob.class.getName());
            }
            return (StreamJob)type.getConstructor().newInstance();
        }
        catch (final ClassNotFoundException e)
        {
            throw new JobSubmissionException("the jar has no class " + className, e);
        }
        catch (final NoSuchMethodException e)
        {
            throw new JobSubmissionException("class " + className + " has no public no-argument constructor", e);
        }
        catch (final ReflectiveOperationException | RuntimeException | LinkageError e)
        {
            if (e instanceof JobSubmissionException refusal)
            {
                throw refusal;
            }
            final Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new JobSubmissionException("cannot make an instance of " + className + ": " + cause, e);
        }
    }

    private static void close(final URLClassLoader loader)
    {
        try
        {
            loader.close();
        }
        catch (final IOException e)
        {
            LOG.warn("cannot close the class loader '{}': {}", loader.getName(), e.getMessage());
        }
    }
}
