package dev.turbofarm.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser: Debian's headless Chromium driven by chromedriver against this
 * coordinator on the embedded broker and database, with the in-JVM test worker rendering. One walk
 * through what the three kinds of users do, failing on any error in the browser's console.
 *
 * <p>Needs {@code chromium} and {@code chromedriver} (Debian packages {@code chromium} and {@code
 * chromium-driver}; other paths via {@code CHROME_BIN} / {@code CHROMEDRIVER}). Without them the
 * test is skipped with a message saying so, except under {@code CI=true}, where it fails.
 */
@QuarkusTest
@QuarkusTestResource(FarmServicesResource.class)
class ConsoleBrowserTest {
  /** Longest wait for one step in the browser, s: renders and progress events land in seconds. */
  private static final Duration STEP = Duration.ofSeconds(60);

  private static ChromeDriver driver;
  private static final List<String> consoleErrors = new ArrayList<>();

  @TestHTTPResource("/")
  URL base;

  @BeforeAll
  static void startBrowser() {
    String chrome = env("CHROME_BIN", "/usr/bin/chromium");
    String chromedriver = env("CHROMEDRIVER", "/usr/bin/chromedriver");
    boolean present = new File(chrome).canExecute() && new File(chromedriver).canExecute();
    if (!present) {
      String why =
          "browser tests need Chromium at "
              + chrome
              + " and chromedriver at "
              + chromedriver
              + " (Debian: apt-get install chromium chromium-driver; or set CHROME_BIN and"
              + " CHROMEDRIVER)";
      if ("true".equals(System.getenv("CI"))) {
        fail(why + "; CI=true, so a missing browser fails the build");
      }
      Assumptions.abort("skipped: " + why);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chrome);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1280,900");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(chromedriver))
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
  }

  @AfterAll
  static void stopBrowser() {
    if (driver != null) {
      driver.quit();
    }
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  private void open(String path) {
    collectConsole();
    driver.get(base.toString().replaceAll("/$", "") + path);
  }

  private static WebDriverWait waiting() {
    return new WebDriverWait(driver, STEP);
  }

  private static WebElement visible(String css) {
    return waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
  }

  /** Browser console lines of level SEVERE (errors, failed loads) since the last call. */
  private static void collectConsole() {
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
        consoleErrors.add(e.getMessage());
      }
    }
  }

  private void signIn(String key) {
    open("/console/sign-in");
    visible("#apiKey").sendKeys(key);
    driver.findElement(By.id("sign-in")).click();
    visible("#who");
  }

  private void signOut() {
    driver.findElement(By.id("sign-out")).click();
    visible("#apiKey");
  }

  private static boolean imageLoaded(WebElement img) {
    Object w =
        ((JavascriptExecutor) driver)
            .executeScript("return arguments[0].complete && arguments[0].naturalWidth", img);
    return w instanceof Number n && n.intValue() > 0;
  }

  /** No horizontal scrolling at the current width: the page fits a phone. */
  private static void fitsWidth(String page) {
    Object overflow =
        ((JavascriptExecutor) driver)
            .executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
    assertTrue(
        overflow instanceof Number n && n.intValue() <= 1,
        page + " scrolls sideways by " + overflow + " px");
  }

  private static String apiWorkerState() {
    return TestKeys.asAdmin()
        .get("/api/v1/admin/workers")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getString("find { it.id == '" + TestWorker.ID + "' }.state");
  }

  @Test
  void submitterAdminAndAnalystWalkThrough() throws Exception {
    BatchFlowTest.ensureWorker();
    String team = BatchFlowTest.team("browser");
    String submitter = TestKeys.submitter(team);
    String analyst = TestKeys.analyst(BatchFlowTest.team("browser-analyst"), team);

    // Sign in -> submit a job -> see its image.
    signIn(submitter);
    assertTrue(driver.getCurrentUrl().endsWith("/console/jobs/new"), driver.getCurrentUrl());
    visible("#prompt").sendKeys("a ceramic mug on a wooden table");
    driver
        .findElement(By.cssSelector("button.preset[data-width='512'][data-height='512']"))
        .click();
    assertEquals("512", driver.findElement(By.id("width")).getDomProperty("value"));
    // A custom size that is no multiple of 64 is stopped before it is sent.
    WebElement width = driver.findElement(By.id("width"));
    width.clear();
    width.sendKeys("500");
    driver.findElement(By.id("submit-job")).click();
    assertTrue(visible("#size-error").getText().contains("multiple of 64"));
    width.clear();
    width.sendKeys("512");
    driver.findElement(By.id("submit-job")).click();
    WebElement jobImage = visible("#result article[data-state='SUCCEEDED'] img");
    waiting().until(d -> imageLoaded(d.findElement(By.cssSelector("#result article img"))));
    assertTrue(imageLoaded(jobImage));
    driver.manage().window().setSize(new Dimension(390, 844));
    fitsWidth("new job at 390 px");
    driver.manage().window().setSize(new Dimension(1280, 900));

    // Upload a catalogue with one bad row: the row is shown with its line and field.
    Path csv = Files.createTempFile("console-catalogue", ".csv");
    Files.writeString(
        csv,
        "sku,prompt,width,height,steps\n"
            + "mug-1,a red mug,256,256,1\n"
            + "mug-2,a blue mug,256,256,1\n"
            + "mug-3,a green mug,1000,256,1\n"
            + "mug-4,a white mug,256,256,1\n");
    open("/console/batches");
    driver.findElement(By.id("mode-accept-valid")).click();
    driver.findElement(By.id("name")).sendKeys("browser catalogue");
    driver.findElement(By.id("file")).sendKeys(csv.toString());
    driver.findElement(By.id("upload")).click();
    WebElement rejected = visible("#rejected-rows");
    assertTrue(rejected.getText().contains("width"), rejected.getText());
    assertTrue(rejected.getText().contains("4"), "line 4 is named: " + rejected.getText());
    String gallery = visible("#accepted a").getDomAttribute("href"); // /console/batches/{id}
    String batchId = gallery.substring(gallery.lastIndexOf('/') + 1);

    // Progress to the end, over server-sent events.
    waiting()
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#batch-" + batchId + " .progress[data-done='true']")));
    assertTrue(
        driver
            .findElement(By.cssSelector("#batch-" + batchId + " .figures"))
            .getText()
            .startsWith("3/3"));

    // Gallery: approve two and reject one with the keyboard.
    open(gallery);
    List<WebElement> tiles = driver.findElements(By.cssSelector("#gallery .tile.review"));
    assertEquals(3, tiles.size());
    ((JavascriptExecutor) driver).executeScript("arguments[0].focus()", tiles.get(0));
    driver.switchTo().activeElement().sendKeys("a");
    waiting().until(d -> "approved".equals(tiles.get(0).getDomAttribute("data-verdict")));
    driver.switchTo().activeElement().sendKeys(Keys.ARROW_RIGHT);
    driver.switchTo().activeElement().sendKeys("a");
    waiting().until(d -> "approved".equals(tiles.get(1).getDomAttribute("data-verdict")));
    driver.switchTo().activeElement().sendKeys("4");
    waiting().until(d -> "4".equals(tiles.get(1).getDomAttribute("data-rating")));
    driver.switchTo().activeElement().sendKeys(Keys.ARROW_RIGHT);
    driver.switchTo().activeElement().sendKeys("r");
    waiting().until(d -> "rejected".equals(tiles.get(2).getDomAttribute("data-verdict")));
    assertTrue(tiles.get(1).getText().contains("approved · 4/5"), tiles.get(1).getText());
    open(gallery + "?verdict=approved");
    assertEquals(2, driver.findElements(By.cssSelector("#gallery .tile.review")).size());
    driver.manage().window().setSize(new Dimension(390, 844));
    fitsWidth("gallery at 390 px");
    driver.manage().window().setSize(new Dimension(1280, 900));

    // Variants of an approved image, then its lineage.
    String imagePage =
        driver.findElement(By.cssSelector("#gallery .tile.review a")).getDomAttribute("href");
    open(imagePage);
    waiting().until(d -> imageLoaded(d.findElement(By.id("full-image"))));
    driver.findElement(By.id("variants")).click();
    visible("#derived article[data-state='SUCCEEDED']");
    open(imagePage);
    WebElement child = visible("#children a.tile img");
    waiting().until(d -> imageLoaded(child));
    open(child.findElement(By.xpath("..")).getDomAttribute("href"));
    WebElement parent = visible("#ancestry a.tile img");
    waiting().until(d -> imageLoaded(parent));
    // The Jobs page shows the single job's image too, and fits a phone.
    open("/console/jobs");
    waiting().until(d -> imageLoaded(d.findElement(By.cssSelector("#jobs .tile img"))));
    driver.manage().window().setSize(new Dimension(390, 844));
    fitsWidth("jobs at 390 px");
    driver.manage().window().setSize(new Dimension(1280, 900));
    signOut();

    // Admin: pause and resume dispatch with a reason.
    signIn(TestKeys.admin());
    open("/console/workers");
    visible("#reason").sendKeys("browser test maintenance");
    driver.findElement(By.id("pause")).click();
    waiting().until(ExpectedConditions.textToBe(By.id("dispatch-state"), "paused"));
    assertTrue(
        driver.findElement(By.id("dispatch")).getText().contains("browser test maintenance"));
    driver.findElement(By.id("resume")).click();
    waiting().until(ExpectedConditions.textToBe(By.id("dispatch-state"), "running"));

    // Admin: cordon the test worker, see the worker apply it, uncordon it again.
    String row = "#worker-" + TestWorker.ID;
    try {
      visible(row + " button.cordon").click();
      visible(row + "[data-control='CORDONED'][data-pending='false']");
      assertEquals("CORDONED", apiWorkerState(), "the console's cordon reached the API's state");
      assertTrue(
          driver.findElement(By.cssSelector(row)).getText().contains("applied by the worker"),
          driver.findElement(By.cssSelector(row)).getText());
      visible(row + " button.uncordon").click();
      visible(row + "[data-control=''][data-pending='false']");
      assertTrue(
          List.of("READY", "BUSY").contains(apiWorkerState()), "uncordoned: " + apiWorkerState());
    } finally {
      TestKeys.asAdmin().post("/api/v1/admin/workers/" + TestWorker.ID + "/uncordon");
    }
    signOut();

    // Analyst: the history chart counts the two approvals.
    signIn(analyst);
    open("/console/history");
    waiting()
        .until(d -> d.findElement(By.id("history-chart")).getDomAttribute("data-approved") != null);
    int approved =
        Integer.parseInt(
            driver.findElement(By.id("history-chart")).getDomAttribute("data-approved"));
    assertTrue(approved >= 2, "the chart counts the approvals: " + approved);
    waiting().until(d -> !d.findElements(By.cssSelector("#top-seeds tbody tr")).isEmpty());
    assertTrue(
        driver.findElements(By.cssSelector("nav a[href='/console/workers']")).isEmpty(),
        "an analyst sees no admin pages");

    collectConsole();
    assertTrue(consoleErrors.isEmpty(), "browser console errors: " + consoleErrors);
  }
}
