package dev.turbofarm.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code farm screenshots}: starts a fresh local farm with the bundled model, renders real images
 * (single jobs, a catalogue with a row that fails on the workers, reviews, variants), then drives
 * headless Chromium through every console page and writes each at 1280 and 390 px wide as {@code
 * <out>/<page>-<width>.png}. For the README; the browser tests in CI write no file.
 */
@Command(
    name = "screenshots",
    mixinStandardHelpOptions = true,
    description =
        "Start a fresh farm with the bundled model, render and review some images, and write a"
            + " screenshot of every console page at 1280 and 390 px (docs/console/<page>-<width>.png)."
            + " Needs chromium and chromedriver (Debian: apt-get install chromium chromium-driver).")
public final class Screenshots implements Callable<Integer> {
  /** The widths of every page, px: a laptop and a phone. */
  static final List<Integer> WIDTHS = List.of(1280, 390);

  /** The tallest screenshot, px: a long list is cut there (the page paginates anyway). */
  static final int MAX_HEIGHT = 2400;

  /** The Jobs page's screenshot height, px: its first rows say enough (and keep the PNG small). */
  static final int JOBS_HEIGHT = 560;

  /**
   * The workers' memory budget, px: a 1024x1024 catalogue row (1,048,576 px) fails on the workers,
   * so the dead-letter page shows a real failure; every other render here fits.
   */
  static final String BUDGET_PIXELS = "1000000";

  static final String TEAM = "shop";

  /** Longest wait for one browser step, s: renders land in seconds. */
  private static final Duration STEP = Duration.ofSeconds(120);

  @Mixin FarmCli.FarmArgs args;

  @Option(
      names = "--out",
      description = "folder for the PNGs (default docs/console in the repository)")
  Path out;

  @Option(
      names = "--timeout",
      defaultValue = "900",
      description = "seconds to wait for the renders (default ${DEFAULT-VALUE})")
  long timeoutS;

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private ChromeDriver driver;
  private URI base;
  private final List<String> browserErrors = new ArrayList<>();
  private final List<Path> written = new ArrayList<>();

  @Override
  public Integer call() throws IOException {
    String chrome = env("CHROME_BIN", "/usr/bin/chromium");
    String chromedriver = env("CHROMEDRIVER", "/usr/bin/chromedriver");
    if (!new File(chrome).canExecute() || !new File(chromedriver).canExecute()) {
      throw new FarmException(
          "screenshots need Chromium at "
              + chrome
              + " and chromedriver at "
              + chromedriver
              + ", and at least one is missing or not executable; install them (Debian:"
              + " apt-get install chromium chromium-driver) or set CHROME_BIN and CHROMEDRIVER");
    }
    Path folder = out != null ? out.toAbsolutePath() : FarmCli.home().resolve("docs/console");
    Files.createDirectories(folder);
    // A fresh data dir unless one is named: the pages show exactly what this command renders.
    Path temp = args.dataDir == null ? Files.createTempDirectory("farm-screenshots") : null;
    FarmOptions options =
        args.options()
            .withFreePorts()
            .withWorkerEnv(Map.of("TURBOFARM_MEMORY_BUDGET_PIXELS", BUDGET_PIXELS));
    if (temp != null) {
      options = options.withDataDir(temp);
    }
    try (Farm farm = Farm.start(options)) {
      base = farm.coordinatorUrl();
      Seeded s = seed(farm);
      driver = browser(chrome, chromedriver);
      try {
        shoot(farm, s, folder);
      } finally {
        driver.quit();
      }
    } finally {
      if (temp != null) {
        deleteTree(temp);
      }
    }
    System.out.println("screenshots in " + folder + ":");
    for (Path p : written) {
      System.out.printf("  %-28s %6d KB%n", p.getFileName(), (Files.size(p) + 1023) / 1024);
    }
    if (!browserErrors.isEmpty()) {
      System.err.println("farm screenshots: the browser logged errors: " + browserErrors);
      return FarmCli.EXIT_FAILED;
    }
    return 0;
  }

  /** What {@link #seed} rendered, for the pages to open. */
  record Seeded(
      String submitterKey,
      String analystKey,
      String batchId,
      String imageJob,
      int imageIndex,
      String variantsJob) {}

  /** Keys, single jobs, a catalogue with a row too large for the workers, reviews and variants. */
  private Seeded seed(Farm farm) {
    FarmClient admin = farm.client();
    String submitterKey = key(admin, "Mia (catalogue team)", "submitter", TEAM, List.of());
    String analystKey = key(admin, "Ana (analytics)", "analyst", "analytics", List.of(TEAM));
    FarmClient shop = new FarmClient(base, submitterKey);
    Duration timeout = Duration.ofSeconds(timeoutS);
    Duration poll = Duration.ofMillis(250);

    List<String> singles = new ArrayList<>();
    singles.add(
        shop.submit(
            job("a red mug on a white background, studio photo", 512, 512, "explore", 2, 42)));
    singles.add(
        shop.submit(
            job("a blue sneaker on a wood background, product photo", 1024, 576, "daily", 1, 123)));
    singles.add(
        shop.submit(job("a green vase in a sunny room, concept art", 768, 768, "daily", 1, 2024)));

    String csv =
        "sku,prompt,width,height\n"
            + "MUG-RED,a red mug on a white background,512,512\n"
            + "MUG-BLUE,a blue mug on a wood background,512,512\n"
            + "SNK-WHT,a white sneaker on a grey background,512,512\n"
            + "SNK-BLK,a black sneaker on a white background,512,512\n"
            + "BAG-BRN,a brown handbag on a white background,512,512\n"
            + "TEE-GRN,a green t-shirt on a grey background,512,512\n"
            + "BTL-YEL,a yellow bottle on a wood background,512,512\n"
            + "LMP-BLK,a black lamp in a living room,512,512\n"
            + "POS-XXL,a huge poster of a red mug,1024,1024\n";
    FarmClient.Answer intake =
        send(
            submitterKey,
            "POST",
            "/api/v1/batches?profile=draft&count=1&name="
                + URLEncoder.encode("spring catalogue", StandardCharsets.UTF_8),
            "text/csv",
            csv);
    if (intake.status() != 202 || intake.body() == null) {
      throw new FarmException(
          "POST /api/v1/batches answered " + intake.status() + ": " + intake.raw());
    }
    String batchId = intake.body().path("id").asText();
    System.out.printf("screenshots: 3 jobs and batch %s (9 rows) submitted; rendering%n", batchId);

    List<JsonNode> done = new ArrayList<>();
    for (String id : singles) {
      done.add(shop.awaitDone(id, timeout, poll));
    }
    awaitBatch(shop, batchId, timeout);

    // Reviews: approve, rate and reject some of the batch's images.
    List<String[]> images = new ArrayList<>();
    String manifest = shop.get("/api/v1/batches/" + batchId + "/manifest?format=jsonl").raw();
    for (String text : manifest.lines().filter(l -> !l.isBlank()).toList()) {
      JsonNode line = FarmClient.parse(text);
      if (!line.path("url").asText().isEmpty()) {
        images.add(new String[] {line.path("job_id").asText(), line.path("image_index").asText()});
      }
    }
    String[] verdicts = {"approved", "approved", "rejected", "approved", "", "rejected", "", ""};
    int[] ratings = {5, 4, 0, 3, 0, 0, 0, 0};
    for (int i = 0; i < Math.min(images.size(), verdicts.length); i++) {
      if (verdicts[i].isEmpty()) {
        continue;
      }
      ObjectNode review = FarmClient.json().createObjectNode();
      review.put("verdict", verdicts[i]);
      if (ratings[i] > 0) {
        review.put("rating", ratings[i]);
      }
      expect(
          send(
              submitterKey,
              "PUT",
              "/api/v1/images/" + images.get(i)[0] + "/" + images.get(i)[1] + "/review",
              "application/json",
              review.toString()),
          200,
          "review");
    }
    // The first approved image gets variants: the image page then shows its children.
    String parentJob = images.get(0)[0];
    int parentIndex = Integer.parseInt(images.get(0)[1]);
    FarmClient.Answer v =
        shop.post("/api/v1/images/" + parentJob + "/" + parentIndex + "/variants", "{}");
    if (v.status() != 202 || v.body() == null) {
      throw new FarmException("variants answered " + v.status() + ": " + v.raw());
    }
    String variantsJob = v.body().path("id").asText();
    shop.awaitDone(variantsJob, timeout, poll);
    // An approved single job too: the history has more than one profile.
    JsonNode first = done.get(0);
    expect(
        send(
            submitterKey,
            "PUT",
            "/api/v1/images/" + first.path("id").asText() + "/0/review",
            "application/json",
            "{\"verdict\":\"approved\",\"rating\":5}"),
        200,
        "review");
    System.out.println("screenshots: rendered, reviewed and varied; opening the console");
    return new Seeded(submitterKey, analystKey, batchId, parentJob, parentIndex, variantsJob);
  }

  private static ObjectNode job(
      String prompt, int width, int height, String steps, int count, long seed) {
    ObjectNode j = FarmClient.json().createObjectNode();
    j.put("prompt", prompt);
    j.put("negativePrompt", "blurry, text, watermark");
    j.put("width", width);
    j.put("height", height);
    j.put("steps", steps);
    j.put("count", count);
    j.put("seed", seed);
    j.put("team", TEAM);
    return j;
  }

  private static String key(
      FarmClient admin, String name, String role, String team, List<String> teams) {
    ObjectNode body = FarmClient.json().createObjectNode();
    body.put("name", name);
    body.put("role", role);
    body.put("team", team);
    teams.forEach(body.putArray("teams")::add);
    FarmClient.Answer a = admin.post("/api/v1/admin/keys", body.toString());
    expect(a, 201, "POST /api/v1/admin/keys");
    return a.body().path("secret").asText();
  }

  /** A request FarmClient does not make (a PUT, a CSV body), with the key as bearer. */
  private FarmClient.Answer send(
      String key, String method, String path, String contentType, String body) {
    HttpRequest r =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", contentType)
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      HttpResponse<String> a = http.send(r, HttpResponse.BodyHandlers.ofString());
      JsonNode json = null;
      try {
        json = a.body().isBlank() ? null : FarmClient.json().readTree(a.body());
      } catch (IOException notJson) {
        // keep the raw text for the message
      }
      return new FarmClient.Answer(
          a.statusCode(),
          a.headers().firstValue("Content-Type").orElse(""),
          json,
          a.body(),
          a.headers().firstValue("Idempotent-Replayed").isPresent());
    } catch (IOException e) {
      throw new FarmException(method + " " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FarmException("interrupted during " + method + " " + path);
    }
  }

  private static void expect(FarmClient.Answer a, int status, String what) {
    if (a.status() != status) {
      throw new FarmException(what + " answered " + a.status() + ": " + a.raw());
    }
  }

  private static void awaitBatch(FarmClient c, String id, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      FarmClient.Answer a = c.get("/api/v1/batches/" + id);
      expect(a, 200, "GET /api/v1/batches/" + id);
      if (a.body().path("done").asBoolean()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new FarmException(
            "batch " + id + " not done after " + timeout.toSeconds() + " s: " + a.raw());
      }
      pause(500);
    }
  }

  /** Every page, at every width, as the kind of user who sees it. */
  private void shoot(Farm farm, Seeded s, Path folder) throws IOException {
    open("/console/sign-in");
    visible("#apiKey");
    capture(folder, "sign-in");

    signIn(s.submitterKey());
    // New job: a render that lands on the page.
    visible("#prompt").sendKeys("a white teapot on a marble table, studio photo");
    driver
        .findElement(By.cssSelector("button.preset[data-width='512'][data-height='512']"))
        .click();
    driver.findElement(By.id("seed")).sendKeys("888");
    driver.findElement(By.id("submit-job")).click();
    visible("#result article[data-state='SUCCEEDED'] img");
    capture(folder, "new-job");

    // Batches: upload a catalogue with one bad row (accept-valid): the row is named, the rest runs.
    Path csvDir = Files.createTempDirectory("farm-screenshots-upload");
    Path csv = csvDir.resolve("cups.csv");
    try {
      Files.writeString(
          csv,
          "sku,prompt,width,height\n"
              + "CUP-1,a white cup on a wood background,512,512\n"
              + "CUP-2,a black cup on a white background,1000,512\n"
              + "CUP-3,a red cup on a grey background,512,512\n");
      open("/console/batches");
      driver.findElement(By.id("mode-accept-valid")).click();
      driver.findElement(By.id("name")).sendKeys("cups, with a bad row");
      driver.findElement(By.id("file")).sendKeys(csv.toString());
      driver.findElement(By.id("upload")).click();
      visible("#rejected-rows");
      capture(folder, "batches");
    } finally {
      deleteTree(csvDir);
    }

    open("/console/batches/" + s.batchId());
    visible("#gallery .tile.review");
    capture(folder, "gallery");

    open("/console/images/" + s.imageJob() + "/" + s.imageIndex());
    visible("#children a.tile img");
    capture(folder, "image");

    open("/console/jobs");
    visible("#jobs .tile img");
    capture(folder, "jobs", JOBS_HEIGHT);
    signOut();

    signIn(farm.adminKey());
    // Workers: one cordoned (its heartbeat says it applied the command), the other running.
    open("/console/workers");
    String row = "#worker-" + farm.workers().get(farm.workers().size() - 1).id();
    visible(row + " button.cordon").click();
    visible(row + "[data-control='CORDONED'][data-pending='false']");
    capture(folder, "workers");
    visible(row + " button.uncordon").click();
    visible(row + "[data-control=''][data-pending='false']");
    visible("#reason").sendKeys("model rollout, back at 14:00");
    driver.findElement(By.id("pause")).click();
    new WebDriverWait(driver, STEP)
        .until(ExpectedConditions.textToBe(By.id("dispatch-state"), "paused"));
    capture(folder, "dispatch");
    driver.findElement(By.id("resume")).click();
    new WebDriverWait(driver, STEP)
        .until(ExpectedConditions.textToBe(By.id("dispatch-state"), "running"));

    open("/console/dead-letters");
    visible("table.dead-letters");
    capture(folder, "dead-letters");
    signOut();

    signIn(s.analystKey());
    open("/console/history");
    new WebDriverWait(driver, STEP)
        .until(d -> d.findElement(By.id("history-chart")).getDomAttribute("data-approved") != null);
    new WebDriverWait(driver, STEP)
        .until(d -> !d.findElements(By.cssSelector("#top-seeds tbody tr")).isEmpty());
    capture(folder, "history");
    signOut();
    collectConsole();
  }

  private ChromeDriver browser(String chrome, String chromedriver) {
    ChromeOptions o = new ChromeOptions();
    o.setBinary(chrome);
    o.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--hide-scrollbars",
        "--window-size=1280,900");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    o.setCapability(ChromeOptions.LOGGING_PREFS, logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(chromedriver))
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, o);
  }

  private void open(String path) {
    collectConsole();
    driver.get(base.resolve(path).toString());
  }

  private WebElement visible(String css) {
    return new WebDriverWait(driver, STEP)
        .until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
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

  private void collectConsole() {
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
        browserErrors.add(e.getMessage());
      }
    }
  }

  /**
   * Writes the page as it is now at each width, the whole page down to {@link #MAX_HEIGHT}, once
   * every image on it has loaded.
   */
  private void capture(Path folder, String page) throws IOException {
    capture(folder, page, MAX_HEIGHT);
  }

  private void capture(Path folder, String page, int maxHeight) throws IOException {
    for (int width : WIDTHS) {
      metrics(width, 900);
      long height =
          ((Number)
                  js(
                      "return Math.max(document.documentElement.scrollHeight,"
                          + " document.body.scrollHeight)"))
              .longValue();
      metrics(width, (int) Math.min(height, maxHeight));
      new WebDriverWait(driver, STEP)
          .until(
              d ->
                  Boolean.TRUE.equals(
                      js(
                          "return Array.from(document.images).every(i => i.complete"
                              + " && i.naturalWidth > 0)")));
      // One frame for the layout and the chart to settle at the new size.
      js("return new Promise(r => requestAnimationFrame(() => setTimeout(r, 300)))");
      Map<String, Object> shot =
          driver.executeCdpCommand(
              "Page.captureScreenshot", Map.of("format", "png", "optimizeForSpeed", false));
      Path file = folder.resolve(page + "-" + width + ".png");
      Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
      written.add(file);
    }
    driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
  }

  private void metrics(int width, int height) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("width", width);
    m.put("height", height);
    m.put("deviceScaleFactor", 1);
    m.put("mobile", width < 600);
    driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", m);
  }

  private Object js(String script) {
    return ((JavascriptExecutor) driver).executeScript(script);
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FarmException("interrupted");
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
