package io.batanomaly.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void escapesQuotesBackslashesAndControlCharacters() {
    assertThat(Json.write("say \"hi\" \\ bye")).isEqualTo("\"say \\\"hi\\\" \\\\ bye\"");
    assertThat(Json.write("a\nb\rc\td\be\ff")).isEqualTo("\"a\\nb\\rc\\td\\be\\ff\"");
    assertThat(Json.write("\u0000\u0001\u001f")).isEqualTo("\"\\u0000\\u0001\\u001f\"");
  }

  @Test
  void leavesPrintableUnicodeAloneButEscapesLineSeparatorsAndLoneSurrogates() {
    assertThat(Json.write("é😀/<>")).isEqualTo("\"é😀/<>\"");
    assertThat(Json.write("a\u2028b\u2029c")).isEqualTo("\"a\\u2028b\\u2029c\"");
    assertThat(Json.write("x\ud800y")).isEqualTo("\"x\\ud800y\"");
    assertThat(Json.write("x\udc00")).isEqualTo("\"x\\udc00\"");
  }

  @Test
  void writesNestedValuesInOrder() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("s", "v");
    m.put("n", 12L);
    m.put("d", 0.25);
    m.put("nan", Double.NaN);
    m.put("b", true);
    m.put("nil", null);
    m.put("at", Instant.parse("2026-01-02T03:04:05Z"));
    m.put("e", Thread.State.NEW);
    m.put("list", Arrays.asList(1, "two", null));
    m.put("map", Map.of("k\"", List.of()));
    assertThat(Json.write(m)).isEqualTo("{\"s\":\"v\",\"n\":12,\"d\":0.25,\"nan\":null,"
        + "\"b\":true,\"nil\":null,\"at\":\"2026-01-02T03:04:05Z\",\"e\":\"NEW\","
        + "\"list\":[1,\"two\",null],\"map\":{\"k\\\"\":[]}}");
  }
}
