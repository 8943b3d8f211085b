package io.sweeplab.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in Debian's Chromium against the packaged platform: a member of one team signs in, sees their team's
 * sweeps and not another team's, and signs out. Screenshots go to {@code target/screenshots/}.
 */
class DashboardBrowserIT {

    static final String ADMIN_PASSWORD = "browser-admin-password";
    static final String PASSWORD = "browser-user-password";

    PackagedPlatform platform;
    ChromeDriver driver;

    @BeforeEach
    void start() throws IOException {
        platform = new PackagedPlatform("sweeplab-browser", Map.of("sweeplab.admin.password", ADMIN_PASSWORD)).start();
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
                "--window-size=1280,800");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new java.io.File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (driver != null) {
            driver.quit();
        }
        if (platform != null) {
            platform.close();
        }
    }

    RequestSpecification admin() {
        return platform.http()
                .auth()
                .preemptive()
                .basic("admin", ADMIN_PASSWORD)
                .contentType(ContentType.JSON);
    }

    @Test
    void a_member_signs_in_sees_only_their_teams_sweeps_and_signs_out() throws IOException {
        // two teams, each with a member and a sweep; the worker is paused so the sweeps stay as launched
        String worker = admin().get("/api/workers").then().extract().path("[0].id");
        admin().post("/api/workers/" + worker + "/pause").then().statusCode(200);
        for (String team : List.of("alpha", "beta")) {
            admin().body("{\"slug\": \"" + team + "\", \"name\": \"Team " + team + "\"}")
                    .post("/api/teams")
                    .then()
                    .statusCode(201);
            String user = team.equals("alpha") ? "ann" : "bob";
            admin().body("{\"username\": \"" + user + "\", \"password\": \"" + PASSWORD + "\"}")
                    .post("/api/users")
                    .then()
                    .statusCode(201);
            admin().body("{\"role\": \"member\"}")
                    .put("/api/teams/" + team + "/members/" + user)
                    .then()
                    .statusCode(200);
            int experiment = platform.http()
                    .auth()
                    .preemptive()
                    .basic(user, PASSWORD)
                    .contentType(ContentType.JSON)
                    .body("{\"name\": \"Lab\"}")
                    .post("/api/teams/" + team + "/experiments")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id");
            platform.http()
                    .auth()
                    .preemptive()
                    .basic(user, PASSWORD)
                    .contentType(ContentType.JSON)
                    .body("{\"experiment\": " + experiment + ", \"name\": \"" + team + " filters grid\","
                            + " \"base\": {\"architecture\": \"cnn\", \"epochs\": 1},"
                            + " \"grid\": {\"params.filters\": [[16, 16], [32, 32]]}}")
                    .post("/api/sweeps")
                    .then()
                    .statusCode(201);
        }

        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        // not signed in: the dashboard shows the sign-in page
        driver.get(platform.url() + "/sweeps");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("login-form")));
        screenshot("sign-in");

        signIn(wait, "ann", "not-the-password");
        wait.until(ExpectedConditions.urlContains("error"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("login-form")));
        assertThat(driver.findElement(By.id("login-form")).getAttribute("error"))
                .isNotNull();

        signIn(wait, "ann", PASSWORD);
        wait.until(ExpectedConditions.textToBe(By.id("current-user"), "ann"));

        driver.get(platform.url() + "/sweeps");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("sweeps-grid")));
        wait.until(d -> cells().stream().anyMatch(t -> t.contains("alpha filters grid")));
        List<String> cells = cells();
        assertThat(cells).contains("alpha").noneMatch(t -> t.contains("beta"));
        screenshot("sweeps-as-member");

        driver.findElement(By.id("sign-out")).click();
        wait.until(ExpectedConditions.urlContains("/login"));
        wait.until(ExpectedConditions.textToBe(By.id("login-note"), "You are signed out."));
        driver.get(platform.url() + "/sweeps");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("login-form")));
        assertThat(driver.findElements(By.id("sweeps-grid"))).isEmpty();
    }

    void signIn(WebDriverWait wait, String user, String password) {
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

    List<String> cells() {
        return driver.findElements(By.cssSelector("#sweeps-grid vaadin-grid-cell-content")).stream()
                .map(WebElement::getText)
                .toList();
    }

    void screenshot(String name) throws IOException {
        Path dir = Path.of("target", "screenshots");
        Files.createDirectories(dir);
        Path shot = ((org.openqa.selenium.TakesScreenshot) driver)
                .getScreenshotAs(OutputType.FILE)
                .toPath();
        Files.copy(shot, dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
