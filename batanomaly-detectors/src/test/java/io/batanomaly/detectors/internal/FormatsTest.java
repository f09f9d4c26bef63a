package io.batanomaly.detectors.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class FormatsTest {

  @Test
  void roundedEvidenceIsAPlainDecimalNeverAnExponent() {
    // Regression: stripping trailing zeros turned 20.0 into 2E+1, which JSON writers print as
    // 2E+1 (BigDecimal.toString).
    for (double v : new double[] {20.0, 100.0, 1500.0, 1e6, 0.0, 12.50, 0.10}) {
      BigDecimal r = Formats.round(v, 2);
      assertThat(r.toString()).as("%s", v).doesNotContain("E");
      assertThat(r.toString()).isEqualTo(r.toPlainString());
      assertThat(r.doubleValue()).isEqualTo(v);
    }
    assertThat(Formats.round(20.0, 2).toString()).isEqualTo("20");
    assertThat(Formats.round(12.5, 2).toString()).isEqualTo("12.5");
    assertThat(Formats.round(0.123456, 4).toString()).isEqualTo("0.1235");
  }
}
