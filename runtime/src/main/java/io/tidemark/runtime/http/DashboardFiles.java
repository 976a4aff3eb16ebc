package io.tidemark.runtime.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * The dashboard's static files, read from the class path once: its page, script and style
 * (this package's {@code dashboard/} resources) and uPlot's script and style from the uPlot
 * webjar, whatever its version. Only these paths are served.
 */
final class DashboardFiles
{
    private static final String OWN = "/io/tidemark/runtime/dashboard/";
    private static final String UPLOT_POM = "/META-INF/maven/org.webjars.npm/uplot/pom.properties";

    private final Map<String, ApiResponse> files;

    DashboardFiles()
    {
        final String uplot = "/META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/";
        final ApiResponse page = file(OWN + "index.html", "text/html; charset=utf-8");
        files = Map.of(
            "/", page,
            "/dashboard", page,
            "/dashboard.js", file(OWN + "dashboard.js", "text/javascript; charset=utf-8"),
            "/dashboard.css", file(OWN + "dashboard.css", "text/css; charset=utf-8"),
            "/uplot.js", file(uplot + "uPlot.iife.min.js", "text/javascript; charset=utf-8"),
            "/uplot.css", file(uplot + "uPlot.min.css", "text/css; charset=utf-8"));
    }

    /**
     * @param path a request's path.
     * @return the file's response, or null if the path is not one of the dashboard's.
     */
    ApiResponse get(final String path)
    {
        return files.get(path);
    }

    private static String uplotVersion()
    {
        final Properties pom = new Properties();
        try (InputStream in = open(UPLOT_POM))
        {
            pom.load(in);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot read " + UPLOT_POM, e);
        }
        return pom.getProperty("version");
    }

    private static ApiResponse file(final String resource, final String type)
    {
        try (InputStream in = open(resource))
        {
            return ApiResponse.content(type, in.readAllBytes());
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    private static InputStream open(final String resource)
    {
        final InputStream in = DashboardFiles.class.getResourceAsStream(resource);
        if (in == null)
        {
            throw new IllegalStateException("the dashboard's resource " + resource + " is not on the class path");
        }
        return in;
    }
}
