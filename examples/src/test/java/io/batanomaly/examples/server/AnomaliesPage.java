package io.batanomaly.examples.server;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Anomalies page as a person uses it, for the browser tests: every step waits for what the
 * page shows (never for a fixed time), re-finding elements because the list is re-rendered as
 * it is polled.
 */
final class AnomaliesPage {
  private final WebDriver driver;
  private final String base;
  private final WebDriverWait wait;

  AnomaliesPage(WebDriver driver, String base) {
    this.driver = driver;
    this.base = base;
    this.wait = new WebDriverWait(driver, Duration.ofSeconds(30));
    wait.ignoring(StaleElementReferenceException.class);
  }

  <T> T until(String what, Function<WebDriver, T> condition) {
    return wait.withMessage(what).until(condition);
  }

  AnomaliesPage open() {
    driver.get(base + "/dashboard/anomalies");
    until("the page script has started", d -> "true".equals(
        d.findElement(By.tagName("html")).getAttribute("data-ready")));
    return this;
  }

  AnomaliesPage signIn(String token, String tenants) {
    until("the sign-in form is shown", d -> d.findElement(By.id("sign-in-view")).isDisplayed());
    type(By.id("token"), token);
    type(By.id("tenants"), tenants);
    driver.findElement(By.id("sign-in-button")).click();
    until("the sign-in form is gone, or says why not",
        d -> !d.findElement(By.id("sign-in-view")).isDisplayed()
            || d.findElement(By.id("sign-in-error")).isDisplayed());
    return this;
  }

  void type(By field, String text) {
    WebElement input = driver.findElement(field);
    input.clear();
    input.sendKeys(text);
  }

  /** Waits until the list shows a row for the id. */
  AnomaliesPage waitForRow(String id) {
    until("a row for " + id, d -> !d.findElements(rowLink(id)).isEmpty());
    return this;
  }

  static By rowLink(String id) {
    return By.cssSelector("#anomaly-rows a[data-id='" + id + "']");
  }

  List<String> rowIds() {
    return until("the list's rows", d -> d.findElements(By.cssSelector("#anomaly-rows tr"))
        .stream().map(r -> r.getAttribute("data-id")).toList());
  }

  List<String> rowTypes() {
    return until("the list's types", d -> d.findElements(By.cssSelector("#anomaly-rows .cell-type"))
        .stream().map(WebElement::getText).toList());
  }

  AnomaliesPage filterByType(String type) {
    new Select(driver.findElement(By.id("filter-type"))).selectByValue(type);
    until("the list is filtered by " + type, d -> d.getCurrentUrl().contains("type=" + type)
        && d.findElement(By.id("list-meta")).getText().contains("of type"));
    return this;
  }

  /** Opens an anomaly from the list with the keyboard: its link, then Enter. */
  AnomaliesPage openWithKeyboard(String id) {
    waitForRow(id);
    until("the link of " + id + " takes the keyboard", d -> {
      WebElement link = d.findElement(rowLink(id));
      link.sendKeys(Keys.ENTER);
      return true;
    });
    return waitForDetail(id);
  }

  AnomaliesPage waitForDetail(String id) {
    until("the detail of " + id, d -> d.findElement(By.id("detail-view")).isDisplayed()
        && d.findElement(By.id("detail-facts")).getText().contains(id));
    return this;
  }

  String status() {
    return text(By.cssSelector("#detail-badges .badge-status"));
  }

  AnomaliesPage waitForStatus(String status) {
    until("the status badge shows " + status, d -> status.equals(
        d.findElement(By.cssSelector("#detail-badges .badge-status")).getText()));
    return this;
  }

  String text(By by) {
    return until("the text of " + by, d -> d.findElement(by).getText());
  }

  boolean displayed(By by) {
    return until("whether " + by + " is shown", d -> d.findElement(by).isDisplayed());
  }

  WebElement element(By by) {
    return driver.findElement(by);
  }

  /** Marks the current document; {@link #sameDocument()} tells whether it was never reloaded. */
  void markDocument() {
    ((JavascriptExecutor) driver).executeScript("window.__notReloaded = true;");
  }

  boolean sameDocument() {
    return Boolean.TRUE.equals(
        ((JavascriptExecutor) driver).executeScript("return window.__notReloaded === true;"));
  }

  String focusedId() {
    return driver.switchTo().activeElement().getAttribute("id");
  }
}
