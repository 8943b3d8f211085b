package io.sweeplab.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Page objects of the dashboard for the browser tests, on Debian's Chromium and chromedriver. */
final class DashboardPages implements AutoCloseable {

    final ChromeDriver driver;
    final String base;
    final WebDriverWait wait;

    DashboardPages(String base) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1280,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new java.io.File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .build();
        this.driver = new ChromeDriver(service, options);
        this.base = base;
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(60));
        // live views redraw their grids every second: an element can go stale between finding and reading it
        this.wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    }

    void open(String path) {
        driver.get(base + "/" + path);
    }

    WebElement byId(String id) {
        return wait.until(ExpectedConditions.presenceOfElementLocated(By.id(id)));
    }

    WebElement byCss(String css) {
        return wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
    }

    String text(String id) {
        return byId(id).getText();
    }

    /** Saves what the browser shows to {@code target/screenshots/<name>.png}. */
    /** Picks the item with this label in a vaadin-select. */
    void choose(String selectId, String label) {
        WebElement select = byId(selectId);
        driver.executeScript("arguments[0].opened = true", select);
        WebElement item = wait.until(d -> d.findElements(By.cssSelector("vaadin-select-item")).stream()
                .filter(i -> i.isDisplayed() && i.getText().strip().equals(label))
                .findFirst()
                .orElse(null));
        driver.executeScript("arguments[0].click()", item); // the overlay may lie under another element
    }

    /** A screenshot of the whole page, however long (the window grows to it for the shot). */
    void fullScreenshot(String name) throws IOException {
        org.openqa.selenium.Dimension before = driver.manage().window().getSize();
        long height = (Long) driver.executeScript("return Math.max(document.body.scrollHeight,"
                + " document.documentElement.scrollHeight, ...Array.from(document.querySelectorAll('*'))"
                + ".map(e => e.scrollHeight))");
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(1400, (int) Math.min(8000, height + 200)));
        try {
            Thread.sleep(500); // let the charts resize to the new window
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        screenshot(name);
        driver.manage().window().setSize(before);
    }

    void screenshot(String name) throws IOException {
        Path dir = Path.of("target", "screenshots");
        Files.createDirectories(dir);
        Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** The texts of a grid's cells, read at once (a live grid may redraw between two reads). */
    @SuppressWarnings("unchecked")
    List<String> cells(String grid) {
        return (List<String>) driver.executeScript("return Array.from(document.querySelectorAll('#" + grid
                + " vaadin-grid-cell-content')).map(e => e.textContent.trim())");
    }

    @Override
    public void close() {
        driver.quit();
    }

    /** The sign-in page. */
    final class Login {
        Login() {
            byId("login-form");
        }

        void signIn(String user, String password) {
            WebElement name = wait.until(ExpectedConditions.elementToBeClickable(
                    By.cssSelector("#login-form vaadin-text-field[name='username'] input")));
            name.clear();
            name.sendKeys(user);
            WebElement pass =
                    driver.findElement(By.cssSelector("#login-form vaadin-password-field[name='password'] input"));
            pass.clear();
            pass.sendKeys(password);
            driver.findElement(By.cssSelector("#login-form vaadin-button[slot='submit']"))
                    .click();
        }

        boolean showsError() {
            return driver.findElement(By.id("login-form")).getAttribute("error") != null;
        }
    }

    /** Launching a lab exercise. */
    final class Launch {
        Launch() {
            open("launch");
            byId("launch-template");
        }

        Launch template(String title) {
            WebElement input = driver.findElement(By.cssSelector("#launch-template input"));
            input.sendKeys(title);
            wait.until(d ->
                    !d.findElements(By.cssSelector("vaadin-combo-box-item")).isEmpty());
            input.sendKeys(Keys.ENTER);
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("launch-plan"), "runs"));
            return this;
        }

        /** The Architecture tab with this architecture chosen, by its label as listed ("Dense network (lab) (dense)"). */
        Launch architecture(String label) {
            WebElement tab = wait.until(d -> d.findElements(By.cssSelector("#launch-mode vaadin-tab")).stream()
                    .filter(t -> t.getText().strip().equals("Architecture"))
                    .findFirst()
                    .orElse(null));
            tab.click();
            choose("launch-architecture", label);
            byId("param-training-epochs");
            return this;
        }

        /** The sweep kind of the Architecture tab: "Grid" or "Search". */
        Launch kind(String kind) {
            WebElement radio =
                    wait.until(d -> d.findElements(By.cssSelector("#launch-kind vaadin-radio-button")).stream()
                            .filter(r -> r.getText().strip().equals(kind))
                            .findFirst()
                            .orElse(null));
            driver.executeScript("arguments[0].click()", radio.findElement(By.cssSelector("input")));
            if (kind.equals("Search")) {
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("launch-strategy")));
            }
            return this;
        }

        /** Sets a parameter's value in a form: {@code params}, {@code training} (epochs, learningRate, batchSize)... */
        Launch value(String form, String param, int value) {
            setNumber("param-" + form + "-" + param, value);
            return this;
        }

        /**
         * Types the values to sweep a parameter over, as in its "Sweep ... over" field: a list, or in a search a range
         * such as {@code 16..256 log}.
         */
        Launch over(String form, String param, String values) {
            WebElement input = byCss("#param-" + form + "-" + param + "-axis input");
            input.clear();
            input.sendKeys(values, Keys.TAB);
            return this;
        }

        /** A search's budget: how many trials at most. */
        Launch budget(int maxRuns) {
            setNumber("launch-max-runs", maxRuns);
            return this;
        }

        Launch subset(int train, int test) {
            setNumber("launch-train-limit", train);
            setNumber("launch-test-limit", test);
            return this;
        }

        private void setNumber(String id, int value) {
            WebElement input = byCss("#" + id + " input");
            input.clear();
            input.sendKeys(Integer.toString(value), Keys.TAB);
        }

        String plan() {
            return text("launch-plan");
        }

        /** Whether a visualizer's checkbox is checked. */
        boolean usesVisualizer(String id) {
            return Boolean.TRUE.equals(
                    driver.executeScript("return arguments[0].checked", byId("launch-visualizer-" + id)));
        }

        /** Checks or unchecks a visualizer. */
        Launch useVisualizer(String id, boolean use) {
            if (usesVisualizer(id) != use) {
                byCss("#launch-visualizer-" + id + " input").click();
                wait.until(d -> usesVisualizer(id) == use);
            }
            return this;
        }

        /** Sweeps a visualizer's parameter over values, as typed in its "Sweep ... over" field. */
        Launch sweepVisualizer(String id, String param, String values) {
            return over("visualizer-" + id + "-params", param, values);
        }

        /** Launches and lands on the new sweep's page. */
        Sweep launch() {
            WebElement button = byId("launch-button");
            // the visualizers' forms may push it below the fold, where a click lands on nothing
            driver.executeScript("arguments[0].scrollIntoView({block: 'center'})", button);
            button.click();
            wait.until(ExpectedConditions.urlMatches(".*/sweeps/\\d+$"));
            return new Sweep();
        }
    }

    /** A sweep's page. */
    final class Sweep {
        Sweep() {
            byId("sweep-runs");
        }

        /** The progress of each run as shown, e.g. "3/20". */
        @SuppressWarnings("unchecked")
        List<String> progress() {
            return (List<String>) driver.executeScript("return Array.from(document.querySelectorAll("
                    + "'#sweep-runs vaadin-progress-bar')).map(e => e.getAttribute('data-epochs'))");
        }

        String summary() {
            return text("sweep-summary");
        }

        int comparisonPoints() {
            return Integer.parseInt(byId("sweep-comparison").getAttribute("data-points"));
        }

        /** The id of the sweep shown. */
        long id() {
            String url = driver.getCurrentUrl();
            return Long.parseLong(url.substring(url.lastIndexOf('/') + 1));
        }

        /** Opens a run from its link in the table. */
        /** Chooses a value of a select of the artifact comparison by its label. */
        void compare(String selectId, String label) {
            choose(selectId, label);
        }

        /** The comparison's cells as {@code run:name:kind}. */
        @SuppressWarnings("unchecked")
        List<String> comparedCells() {
            return (List<String>) driver.executeScript("return Array.from(document.querySelectorAll("
                    + "'#compare-grid [data-run]')).map(e => e.dataset.run + ':' + e.dataset.artifactName + ':'"
                    + " + (e.dataset.artifactKind || ''))");
        }

        /** The comparison's row and column headings. */
        @SuppressWarnings("unchecked")
        List<String> comparedHeadings() {
            return (List<String>) driver.executeScript("return Array.from(document.querySelectorAll("
                    + "'#compare-grid .compare-row, #compare-grid .compare-column')).map(e => e.textContent.trim())");
        }

        void scrollToComparison() {
            driver.executeScript("document.getElementById('artifact-comparison').scrollIntoView()");
        }

        int points(String chart) {
            return Integer.parseInt(byId(chart).getAttribute("data-points"));
        }

        /** Brushes the parallel-coordinates axis of this name over [lo, hi], as dragging along it does. */
        void brush(String axis, double lo, double hi) {
            driver.executeScript(
                    "const chart = echarts.getInstanceByDom(arguments[0]);"
                            + " const index = chart.getOption().parallelAxis.findIndex(a => a.name === arguments[1]);"
                            + " chart.dispatchAction({type: 'axisAreaSelect',"
                            + " parallelAxisIndex: index, intervals: [[arguments[2], arguments[3]]]})",
                    byId("sweep-parallel"),
                    axis,
                    lo,
                    hi);
        }

        /** How many runs the table holds (after its filters). */
        long tableSize() {
            return (Long) driver.executeScript("return document.getElementById('sweep-runs').size");
        }

        boolean shows(String id) {
            return !driver.findElements(By.id(id)).isEmpty()
                    && driver.findElement(By.id(id)).isDisplayed();
        }

        /**
         * Fetches what a download link points at, in the browser with its session: status, content type, body.
         */
        List<Object> download(String link) {
            return fetch(byId(link));
        }

        Run openRun(long run) {
            WebElement link = byCss("#sweep-runs a[href='runs/" + run + "']");
            driver.executeScript("arguments[0].click()", link); // the column may be scrolled out of view
            return new Run();
        }
    }

    /** A run's page. */
    final class Run {
        Run() {
            byId("run-title");
        }

        String overfitting() {
            return text("run-overfitting");
        }

        String onset() {
            return byId("run-overfitting").getAttribute("data-onset");
        }

        int curvePoints() {
            return Integer.parseInt(byId("run-accuracy").getAttribute("data-points"));
        }

        /** The maps drawn of the built-in {@code activations} artifact. */
        int activationMaps() {
            return driver.findElements(
                            By.cssSelector("#run-artifacts [data-artifact-name='activations'] img.activation-map"))
                    .size();
        }

        /** The row headings and column headings of the activation grid. */
        @SuppressWarnings("unchecked")
        List<String> activationHeadings() {
            return (List<String>) driver.executeScript("return Array.from(document.querySelectorAll("
                    + "\"#run-artifacts [data-artifact-name='activations'] .tensor-row,"
                    + " #run-artifacts [data-artifact-name='activations'] .tensor-column\"))"
                    + ".map(e => e.textContent.trim())");
        }

        /** Each drawn artifact as {@code name:kind}, in page order. */
        @SuppressWarnings("unchecked")
        List<String> artifacts() {
            return (List<String>) driver.executeScript("return Array.from(document.querySelectorAll("
                    + "'#run-artifacts [data-artifact-kind]')).map(e => e.dataset.artifactName + ':'"
                    + " + e.dataset.artifactKind)");
        }

        /** The points drawn of an external run's metric chart, -1 while it has none. */
        int metricPoints(String metric) {
            List<WebElement> chart = driver.findElements(By.cssSelector("#run-metrics [data-metric='" + metric + "']"));
            return chart.isEmpty() ? -1 : Integer.parseInt(chart.get(0).getAttribute("data-points"));
        }

        /** The largest value an external run's metric chart draws. */
        double metricMax(String metric) {
            return ((Number) driver.executeScript(
                            "const c = echarts.getInstanceByDom(document.querySelector("
                                    + "\"#run-metrics [data-metric='\" + arguments[0] + \"']\"));"
                                    + " return Math.max(...c.getOption().series[0].data.map(p => p[1]))",
                            metric))
                    .doubleValue();
        }

        /** The metrics an external run's page draws a chart of, in page order. */
        @SuppressWarnings("unchecked")
        List<String> metricCharts() {
            return (List<String>) driver.executeScript("return Array.from(document.querySelectorAll("
                    + "'#run-metrics [data-metric]')).map(e => e.dataset.metric)");
        }

        @SuppressWarnings("unchecked")
        List<String> summaryTexts() {
            return (List<String>) driver.executeScript("return Array.from(document.querySelectorAll("
                    + "'#run-summary vaadin-grid-cell-content')).map(e => e.textContent.trim())");
        }
    }

    /**
     * Fetches what a link points at, in the browser with its session: status, content type, body.
     */
    @SuppressWarnings("unchecked")
    List<Object> fetch(WebElement link) {
        return (List<Object>) driver.executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + " fetch(arguments[0].href).then(r => r.text().then(t =>"
                        + " done([r.status, r.headers.get('content-type'), t])))",
                link);
    }

    /** The Runs page: every run of the user's teams, with the comparison of those ticked. */
    final class Runs {
        Runs() {
            DashboardPages.this.open("runs");
            byId("runs-filter");
        }

        List<String> cells() {
            return DashboardPages.this.cells("runs-grid");
        }

        /** How many runs the grid holds (after the filter). */
        long size() {
            return (Long) driver.executeScript("return document.getElementById('runs-grid').size");
        }

        Runs filter(String words) {
            WebElement input = byCss("#runs-filter input");
            input.sendKeys(Keys.chord(Keys.CONTROL, "a"), words, Keys.TAB);
            return this;
        }

        Runs source(String source) {
            choose("runs-source", source);
            return this;
        }

        /** Ticks (or unticks) a run for the comparison. */
        Runs tick(long run) {
            WebElement box = byCss("#runs-select-" + run + " input");
            driver.executeScript("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click()", box);
            return this;
        }

        Runs metric(String name) {
            choose("runs-metric", name);
            return this;
        }

        int overlayPoints() {
            return Integer.parseInt(byId("runs-overlay").getAttribute("data-points"));
        }

        /** The overlay's lines, by name, as the chart draws them. */
        @SuppressWarnings("unchecked")
        List<String> overlayLines() {
            return (List<String>) driver.executeScript("const c = window.echarts &&"
                    + " echarts.getInstanceByDom(document.getElementById('runs-overlay'));"
                    + " return c ? c.getOption().series.map(s => s.name) : []");
        }

        List<String> latest() {
            return DashboardPages.this.cells("runs-latest");
        }

        Run open(long run) {
            WebElement link = byCss("#runs-grid a[href='runs/" + run + "']");
            driver.executeScript("arguments[0].click()", link);
            return new Run();
        }
    }
}
