package io.tidemark.runtime.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import io.tidemark.examples.ClickCounts;
import io.tidemark.runtime.broker.BrokerConfig;
import io.tidemark.runtime.broker.BrokerServer;
import io.tidemark.runtime.jobs.JobSubmission;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard in headless Chromium, served by a real server running the built-in
 * {@code click-counts}: the watermark the page shows for the source's subtask catches up with
 * the engine's (the page is at most one push behind, so once the input is quiet the two are
 * equal) and advances when later clicks arrive. With {@code -Ddashboard.screenshot=PATH} (an
 * absolute path) it saves a screenshot of the page there. Skipped, saying so, where Chromium or
 * its driver is not installed (Debian: {@code chromium}, {@code chromium-driver}).
 */
class DashboardBrowserTest
{
    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File DRIVER = new File("/usr/bin/chromedriver");
    private static final Duration DEADLINE = Duration.ofSeconds(15);
    private static final ZoneId BROWSER_ZONE = ZoneId.of("Asia/Kolkata");
    private static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(BROWSER_ZONE);

    @TempDir
    Path dataDir;

    @Test
    void theWatermarkShownFollowsTheEnginesAndAdvances() throws Exception
    {
        Assumptions.assumeTrue(CHROMIUM.canExecute() && DRIVER.canExecute(),
            "the dashboard's browser test needs Chromium and its driver at " + CHROMIUM + " and " + DRIVER + " (Debian: apt-get install chromium chromium-driver)");
        final Properties config = new Properties();
        config.put(BrokerConfig.HTTP_PORT, "0");
        try (BrokerServer server = BrokerServer.start(BrokerConfig.parse(config, dataDir, "127.0.0.1", 0)))
        {
            final String bootstrap = "127.0.0.1:" + server.address().getPort();
            final String job = server.jobs().submit(JobSubmission.builtin("click-counts", List.of("exactly-once", "tumbling"))).id();
            final Supplier<Long> engine = () -> server.jobs().runs().get(job).watermark("clicks", 0);
            MetricsEndpointTest.clicks(bootstrap, 0, 2_000);

            final ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM)
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,1900");
            // A browser in a zone of its own, away from UTC by hours and a half, as a learner's may be.
            final ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER).usingAnyFreePort()
                .withEnvironment(Map.of("TZ", BROWSER_ZONE.getId())).build();
            final ChromeDriver browser = new ChromeDriver(service, options);
            try
            {
                browser.get("http://127.0.0.1:" + server.httpAddress().getPort() + "/");
                final String sourceWatermark = "td.watermark[data-job='" + job + "'][data-operator='clicks'][data-subtask='0']";
                final long first = until("the page showing the engine's watermark", () ->
                {
                    final Long shown = shown(browser, sourceWatermark);
                    return shown != null && shown.equals(engine.get()) ? shown : null;
                });
                assertTrue(first >= ClickCounts.START_TIME, "a watermark of the clicks' event time: " + first);

                MetricsEndpointTest.clicks(bootstrap, 2_000, 2_000);
                final long second = until("the page showing the engine's advanced watermark", () ->
                {
                    final Long shown = shown(browser, sourceWatermark);
                    return shown != null && shown > first && shown.equals(engine.get()) ? shown : null;
                });
                assertEquals(ClickCounts.START_TIME + 4_000, second, 1_000 * 60, "the watermark trails the newest click by the job's bound");
                assertTrue(browser.findElement(By.id("connection")).getText().contains("live"));
                assertEquals(LOCAL_TIME.format(Instant.ofEpochMilli(second)),
                    browser.executeScript("return document.querySelector(arguments[0]).textContent;", sourceWatermark),
                    "the watermark in the browser's local time, as the charts' time axis and the demo's terminal show times");
                assertEquals(List.of("12:00:00.000", "12:00:00.250", "12:00:00.500"),
                    browser.executeScript("return clockLabels(arguments[0], 0.25);", clockTicks(0, 250, 500)),
                    "ticks less than a second apart are told apart by their milliseconds");
                assertEquals(List.of("12:00:00", "12:00:05"), browser.executeScript("return clockLabels(arguments[0], 5);", clockTicks(0, 5_000)));

                final String screenshot = System.getProperty("dashboard.screenshot");
                if (screenshot != null)
                {
                    Files.createDirectories(Path.of(screenshot).toAbsolutePath().getParent());
                    Files.write(Path.of(screenshot), ((TakesScreenshot)browser).getScreenshotAs(OutputType.BYTES));
                }
            }
            finally
            {
                browser.quit();
            }
        }
    }

    /** @return noon in the browser's zone plus each offset, in seconds since the epoch, as a chart's axis has them. */
    private static List<Double> clockTicks(final long... offsetsMs)
    {
        final long noon = ZonedDateTime.of(2026, 1, 1, 12, 0, 0, 0, BROWSER_ZONE).toInstant().toEpochMilli();
        return Arrays.stream(offsetsMs).mapToObj(offset -> (noon + offset) / 1000.0).toList();
    }

    /** The watermark a cell shows, read in one step: the page replaces its tables at every push. */
    private static Long shown(final ChromeDriver browser, final String cell)
    {
        final Object ms = browser.executeScript("const cell = document.querySelector(arguments[0]); return cell ? cell.dataset.ms : null;", cell);
        return ms == null || ms.toString().isEmpty() ? null : Long.valueOf(ms.toString());
    }

    /** Polls until the supplier gives a value, and fails after the deadline. */
    private static <T> T until(final String what, final Supplier<T> value)
    {
        final long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true)
        {
            final T found = value.get();
            if (found != null)
            {
                return found;
            }
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("timed out after " + DEADLINE.toSeconds() + " s waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }
}
