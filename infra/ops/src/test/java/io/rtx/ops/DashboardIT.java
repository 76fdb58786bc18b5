package io.rtx.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rtx.launcher.ConnectClient;
import io.rtx.launcher.ConnectClient.ConnectorState;
import io.rtx.launcher.Secrets;
import io.rtx.schemas.Component;
import io.rtx.schemas.Decimals;
import io.rtx.schemas.Names;
import io.rtx.schemas.RegistrySerdes;
import io.rtx.schemas.Tick;
import io.rtx.schemas.Topics;
import io.rtx.testkit.LocalStack;
import io.rtx.testkit.UsesLocalStack;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless browser (Debian's chromium and chromium-driver, which {@code
 * ./rtx install} installs) against the stack as {@code ./rtx up} runs it, with live ticks of this
 * test's own symbols: the page loads with no console error, the lag, throughput and delay charts
 * fill, the candle chart follows a chosen symbol and its quotes arrive over the WebSocket; then a
 * ticks-sink task made to fail for a real cause (its role loses INSERT on {@code market.ticks})
 * shows FAILED, and once the cause is gone the page's restart button brings it back. The screenshot
 * README shows is taken here ({@code target/dashboard.png}).
 */
@UsesLocalStack({Component.OPS, Component.CANDLES, Component.QUOTES})
class DashboardIT {

  private static final String SINK = "rtx-ticks-sink";
  private static final List<String> SYMBOLS = List.of("DSHEUR", "DSHGBP");
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private final LocalStack stack;
  private final AtomicBoolean feeding = new AtomicBoolean(true);
  private Thread feed;
  private WebDriver browser;

  DashboardIT(LocalStack stack) {
    this.stack = stack;
  }

  @BeforeEach
  void start() {
    assertThat(CHROMIUM).as("chromium (./rtx install installs it)").isExecutable();
    assertThat(CHROMEDRIVER).as("chromium-driver (./rtx install installs it)").isExecutable();
    stack.deployConnectors();
    feed = new Thread(this::feedTicks, "dashboard-it-feed");
    feed.start();

    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1900");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService driver =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(driver, options);
  }

  @AfterEach
  void stop() throws Exception {
    feeding.set(false);
    feed.join(10_000);
    if (browser != null) {
      browser.quit();
    }
    // whatever happened above, the shared stack's sink can write again and runs
    grant();
    ConnectClient connect = stack.stack().connect();
    if (connect.state(SINK).tasks().stream().anyMatch(ConnectClient.TaskState::failed)) {
      connect.restart(SINK, true);
    }
  }

  /** Live ticks of this test's symbols, stamped with the time they are sent, every 50 ms. */
  private void feedTicks() {
    try (KafkaProducer<String, Tick> producer =
        new KafkaProducer<>(
            Map.<String, Object>of("bootstrap.servers", stack.bootstrapServers(), "linger.ms", 0),
            new StringSerializer(),
            RegistrySerdes.<Tick>value(stack.registryUrl()).serializer())) {
      long seq = 0;
      while (feeding.get()) {
        seq++;
        for (String symbol : SYMBOLS) {
          BigDecimal bid =
              new BigDecimal("1.08").add(BigDecimal.valueOf(seq % 200).movePointLeft(5));
          producer.send(
              new ProducerRecord<>(
                  Topics.MARKET_TICKS.name(),
                  symbol,
                  Tick.newBuilder()
                      .setSymbol(symbol)
                      .setSeq(seq)
                      .setTs(Instant.now())
                      .setBid(Decimals.of(bid))
                      .setAsk(Decimals.of(bid.add(new BigDecimal("0.00012"))))
                      .setVenue("DSHIT")
                      .build()));
        }
        Thread.sleep(50);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private WebDriverWait waiting(int seconds) {
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(seconds));
    wait.pollingEvery(Duration.ofMillis(250));
    // the page rebuilds a table when its content changes: a row read mid-rebuild is read again
    wait.ignoring(StaleElementReferenceException.class);
    return wait;
  }

  private int points(String chart) {
    String n = browser.findElement(By.id(chart)).getDomAttribute("data-points");
    return n == null ? 0 : Integer.parseInt(n);
  }

  private List<String> legend(String chart) {
    return browser
        .findElements(By.cssSelector("#" + chart + " .u-legend .u-series .u-label"))
        .stream()
        .map(WebElement::getText)
        .toList();
  }

  private WebElement sinkRow() {
    return browser.findElement(By.cssSelector("#connectors tr[data-connector='" + SINK + "']"));
  }

  @Test
  void showsThePlatformLiveAndRestartsAFailedTask() throws Exception {
    browser.get(stack.settings().httpUrl(Component.OPS) + "/");

    // the charts fill from the API, one point per poll, a line per group
    waiting(90).until(d -> points("lag-seconds") >= 3 && points("throughput") >= 3);
    String sinkGroup = Names.sinkGroup(SINK);
    waiting(60).until(d -> legend("lag-seconds").containsAll(List.of("rtx-candles", "rtx-quotes")));
    // a sink's line once its group has committed on market.ticks
    waiting(90).until(d -> legend("lag-records").contains(sinkGroup));
    waiting(60).until(d -> legend("throughput").containsAll(List.of("in", "landed " + SINK)));
    assertThat(
            browser.findElements(By.cssSelector("#groups tr[data-group='rtx-candles'] td")).size())
        .isEqualTo(5);
    // tick -> quote from the first poll with quotes; candle close once a 1s window has closed
    waiting(60).until(d -> legend("delays").contains("tick → quote p99"));

    // the candle chart follows the chosen symbol: history from the candles app, quotes live
    WebElement symbol = browser.findElement(By.id("symbol"));
    symbol.clear();
    symbol.sendKeys(SYMBOLS.get(0), Keys.TAB);
    waiting(60)
        .until(
            d ->
                d.findElement(By.id("candles-note")).getText().contains("of " + SYMBOLS.get(0))
                    && points("candles") > 0);
    waiting(30)
        .until(
            d -> d.findElement(By.id("quote")).getText().matches("1\\.08\\d+ / 1\\.08\\d+ at .+"));

    // a task fails for a real cause: the sink's role may no longer write market.ticks
    assertThat(sinkRow().getText()).doesNotContain("FAILED");
    revoke();
    waiting(120).until(d -> sinkRow().getText().contains("FAILED"));
    // and its consumer group reads FAILED too (the worker's word, not only "no members")
    waiting(60)
        .until(
            d ->
                d.findElement(By.cssSelector("#groups tr[data-group='" + sinkGroup + "']"))
                    .getText()
                    .contains("FAILED"));
    assertThat(sinkRow().findElement(By.cssSelector("button.restart")).getText())
        .isEqualTo("restart failed");
    Path shot = Path.of("target", "dashboard.png");
    Files.createDirectories(shot.getParent());
    Files.copy(
        ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(),
        shot,
        StandardCopyOption.REPLACE_EXISTING);

    // the cause gone, the button brings the tasks back and the ticks land again
    grant();
    long landedBefore = landedRows();
    sinkRow().findElement(By.cssSelector("button.restart")).click();
    waiting(120)
        .until(
            d -> {
              String tasks = sinkRow().findElements(By.tagName("td")).get(3).getText();
              return tasks.matches("(\\d+:RUNNING ?)+");
            });
    ConnectorState state = stack.stack().connect().state(SINK);
    assertThat(state.tasks()).allMatch(t -> t.state().equals("RUNNING"));
    await().atMost(Duration.ofSeconds(120)).until(() -> landedRows() > landedBefore);

    // and in all of it, nothing went wrong in the page
    List<LogEntry> errors =
        browser.manage().logs().get(LogType.BROWSER).getAll().stream()
            .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
            .toList();
    assertThat(errors).as("console errors").isEmpty();
  }

  private void revoke() throws Exception {
    sql("REVOKE INSERT, UPDATE ON market.ticks FROM " + Secrets.Role.SINK.roleName());
  }

  private void grant() throws Exception {
    sql("GRANT INSERT, UPDATE ON market.ticks TO " + Secrets.Role.SINK.roleName());
  }

  private void sql(String statement) throws Exception {
    try (Connection c =
            DriverManager.getConnection(stack.jdbcUrl(), stack.pgUser(), stack.pgPassword());
        Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  private long landedRows() throws Exception {
    try (Connection c =
            DriverManager.getConnection(stack.jdbcUrl(), stack.pgUser(), stack.pgPassword());
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM market.ticks WHERE venue = 'DSHIT'")) {
      r.next();
      return r.getLong(1);
    }
  }
}
