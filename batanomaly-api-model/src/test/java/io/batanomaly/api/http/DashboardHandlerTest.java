package io.batanomaly.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DashboardHandlerTest {
  private final DashboardHandler handler = DashboardHandler.create();
  private final String assets = "/dashboard/assets/" + handler.assetVersion() + "/";

  private ApiResponse request(DashboardHandler h, String method, String path,
      String... headerPairs) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 0; i < headerPairs.length; i += 2) {
      headers.put(headerPairs[i], List.of(headerPairs[i + 1]));
    }
    return h.handle(new ApiRequest(method, path, null, headers, null, null));
  }

  private ApiResponse get(String path, String... headers) {
    return request(handler, "GET", path, headers);
  }

  @Test
  void servesThePageWithItsContentTypeCachingAndSecurityHeaders() {
    ApiResponse page = get("/dashboard/anomalies");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.headers()).containsEntry("Content-Type", "text/html; charset=utf-8")
        .containsEntry("Cache-Control", "no-cache")
        .containsEntry("Content-Security-Policy", "default-src 'self'; base-uri 'none';"
            + " form-action 'self'; frame-ancestors 'none'; object-src 'none'")
        .containsEntry("X-Content-Type-Options", "nosniff")
        .containsEntry("Referrer-Policy", "no-referrer")
        .containsKey("ETag");
    assertThat(page.bodyText())
        .contains("<meta name=\"batanomaly-api\" content=\"/api/v1/audit/anomalies\">")
        .contains("<meta name=\"batanomaly-poll-millis\" content=\"5000\">")
        .contains("<meta name=\"batanomaly-sign-in\" content=\"bearer\">")
        .contains("<script type=\"module\" src=\"" + assets + "app.js\"></script>")
        .contains("<main id=\"main\"")
        .doesNotContain("{{");
  }

  @Test
  void thePageHasNoInlineScriptOrStyleAndLoadsNothingFromAnotherOrigin() {
    String html = get("/dashboard/anomalies").bodyText();
    Matcher scripts = Pattern.compile("<script([^>]*)>(.*?)</script>", Pattern.DOTALL)
        .matcher(html);
    int count = 0;
    while (scripts.find()) {
      count++;
      assertThat(scripts.group(1)).contains("src=\"" + assets);
      assertThat(scripts.group(2)).isBlank();
    }
    assertThat(count).isEqualTo(1);
    assertThat(html).doesNotContainPattern("(?i)<style")
        .doesNotContainPattern("(?i)\\sstyle=")
        .doesNotContainPattern("(?i)\\son[a-z]+=")
        .doesNotContainPattern("(?i)javascript:")
        .doesNotContainPattern("(?i)(src|href)=\"(https?:)?//");
  }

  @Test
  void everyAssetThePageNamesIsServedWithItsTypeAndCachedForever() {
    String html = get("/dashboard/anomalies").bodyText();
    Matcher refs = Pattern.compile("(?:src|href)=\"(/dashboard/assets/[^\"]+)\"").matcher(html);
    List<String> paths = new ArrayList<>();
    while (refs.find()) {
      paths.add(refs.group(1));
    }
    assertThat(paths).contains(assets + "app.js", assets + "app.css", assets + "icon.svg");
    // and what the modules import
    Matcher imports = Pattern.compile("from '\\./([a-z]+\\.js)'")
        .matcher(get(assets + "app.js").bodyText());
    while (imports.find()) {
      paths.add(assets + imports.group(1));
    }
    assertThat(paths).contains(assets + "api.js", assets + "format.js");
    for (String path : paths) {
      ApiResponse r = get(path);
      assertThat(r.status()).as(path).isEqualTo(200);
      assertThat(r.headers().get("Cache-Control")).as(path)
          .isEqualTo("public, max-age=31536000, immutable");
      assertThat(r.headers()).containsKey("Content-Security-Policy");
    }
    assertThat(get(assets + "app.js").headers())
        .containsEntry("Content-Type", "text/javascript; charset=utf-8");
    assertThat(get(assets + "app.css").headers())
        .containsEntry("Content-Type", "text/css; charset=utf-8");
    assertThat(get(assets + "icon.svg").headers()).containsEntry("Content-Type", "image/svg+xml");
  }

  @ParameterizedTest
  @ValueSource(strings = {"app.js", "api.js", "format.js"})
  void theScriptsNeverParseHtmlNorEvaluateStringsNorCallAnotherOrigin(String file) {
    String js = get(assets + file).bodyText();
    assertThat(js).doesNotContain("innerHTML").doesNotContain("outerHTML")
        .doesNotContain("insertAdjacentHTML").doesNotContain("document.write")
        .doesNotContain("eval(").doesNotContain("new Function")
        .doesNotContainPattern("https?://");
  }

  @Test
  void theStylesheetImportsNothing() {
    String css = get(assets + "app.css").bodyText();
    assertThat(css).doesNotContain("@import").doesNotContainPattern("url\\(");
  }

  @Test
  void anAssetOfAnotherVersionIsServedButNotCached() {
    ApiResponse r = get("/dashboard/assets/000000000000/app.js");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.headers()).containsEntry("Cache-Control", "no-cache");
    assertThat(r.body()).isEqualTo(get(assets + "app.js").body());
  }

  @Test
  void aMatchingIfNoneMatchIsAnsweredNotModified() {
    ApiResponse first = get("/dashboard/anomalies");
    String etag = first.headers().get("ETag");
    assertThat(etag).matches("\"[0-9a-f]{24}\"");
    ApiResponse again = get("/dashboard/anomalies", "If-None-Match", "\"other\", " + etag);
    assertThat(again.status()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    assertThat(again.headers()).containsEntry("ETag", etag)
        .containsEntry("Cache-Control", "no-cache");
    assertThat(get("/dashboard/anomalies", "If-None-Match", "\"other\"").status())
        .isEqualTo(200);
  }

  @Test
  void headAnswersTheHeadersWithoutTheBody() {
    ApiResponse head = request(handler, "HEAD", assets + "app.css");
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(head.headers()).containsEntry("Content-Type", "text/css; charset=utf-8");
  }

  @Test
  void theMountPathRedirectsToThePage() {
    for (String path : List.of("/dashboard", "/dashboard/")) {
      ApiResponse r = get(path);
      assertThat(r.status()).as(path).isEqualTo(302);
      assertThat(r.headers()).containsEntry("Location", "/dashboard/anomalies");
    }
  }

  @Test
  void otherMethodsAreNotAllowed() {
    ApiResponse r = request(handler, "POST", "/dashboard/anomalies");
    assertThat(r.status()).isEqualTo(405);
    assertThat(r.headers()).containsEntry("Allow", "GET, HEAD");
    assertThat(r.bodyText()).contains("POST");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/dashboard/other", "/dashboard/anomalies/", "/dashboard/assets/",
      "/dashboard/assets/x/../app.js", "/dashboard/assets/v/missing.js", "/elsewhere"})
  void unknownPathsAreNotFound(String path) {
    ApiResponse r = get(path);
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.headers()).containsEntry("Content-Type", "text/plain; charset=utf-8");
  }

  @Test
  void handlesOnlyItsOwnPaths() {
    assertThat(handler.handles("/dashboard")).isTrue();
    assertThat(handler.handles("/dashboard/anomalies")).isTrue();
    assertThat(handler.handles("/dashboards")).isFalse();
    assertThat(handler.handles("/api/v1/audit/anomalies")).isFalse();
    assertThat(handler.handles(null)).isFalse();
  }

  @Test
  void theHostChoosesPathApiPollingSignInAndExtraTypes() {
    DashboardHandler custom = DashboardHandler.builder().path("/ops/triage/")
        .apiPath("/internal/api/v1/audit/anomalies").pollInterval(Duration.ofMillis(1500))
        .signIn(DashboardHandler.SignIn.HOST).types("credential_stuffing").build();
    assertThat(custom.pagePath()).isEqualTo("/ops/triage/anomalies");
    assertThat(custom.handles("/dashboard/anomalies")).isFalse();
    String html = request(custom, "GET", "/ops/triage/anomalies").bodyText();
    assertThat(html)
        .contains("content=\"/internal/api/v1/audit/anomalies\"")
        .contains("<meta name=\"batanomaly-poll-millis\" content=\"1500\">")
        .contains("<meta name=\"batanomaly-sign-in\" content=\"host\">")
        .contains("SILENT_SERVICE,CREDENTIAL_STUFFING\"")
        .contains("src=\"/ops/triage/assets/" + custom.assetVersion() + "/app.js\"");
    assertThat(request(custom, "GET", "/ops/triage/").headers())
        .containsEntry("Location", "/ops/triage/anomalies");
  }

  @Test
  void badSettingsFailWithWhatWasGiven() {
    assertThatThrownBy(() -> DashboardHandler.builder().path("dashboard"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'dashboard'");
    assertThatThrownBy(() -> DashboardHandler.builder().path("/a/../b/"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DashboardHandler.builder().path("/a\"b/"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DashboardHandler.builder().apiPath("/api/"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'/api/'");
    assertThatThrownBy(() -> DashboardHandler.builder().pollInterval(Duration.ofMillis(10)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0.01S");
    assertThatThrownBy(() -> DashboardHandler.builder().types("<script>"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'<script>'");
    assertThatThrownBy(() -> DashboardHandler.builder().signIn(null))
        .isInstanceOf(NullPointerException.class);
  }
}
