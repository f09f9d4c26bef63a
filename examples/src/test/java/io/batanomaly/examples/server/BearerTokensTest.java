package io.batanomaly.examples.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batanomaly.api.http.ApiPrincipal;
import java.util.List;
import org.junit.jupiter.api.Test;

class BearerTokensTest {
  private final BearerTokens tokens = BearerTokens.parse(
      " ops-token = ops : acme-corp|globex : ADMIN|AUDITOR , root-token=root:*:ADMIN");

  @Test
  void knownBearerTokenYieldsItsPrincipal() {
    ApiPrincipal ops = tokens.authenticate(List.of("Bearer ops-token"));

    assertThat(ops.name()).isEqualTo("ops");
    assertThat(ops.tenants()).containsExactlyInAnyOrder("acme-corp", "globex");
    assertThat(ops.hasRole("ADMIN")).isTrue();
    assertThat(ops.mayActFor("globex")).isTrue();
    assertThat(ops.mayActFor("initech")).isFalse();
    assertThat(tokens.authenticate(List.of("bearer root-token")).mayActFor("initech")).isTrue();
  }

  @Test
  void anythingElseAuthenticatesNobody() {
    assertThat(tokens.authenticate(List.of())).isNull();
    assertThat(tokens.authenticate(null)).isNull();
    assertThat(tokens.authenticate(List.of("Bearer unknown"))).isNull();
    assertThat(tokens.authenticate(List.of("Basic b3BzOm9wcw=="))).isNull();
    assertThat(tokens.authenticate(List.of("ops-token"))).isNull();
    assertThat(tokens.authenticate(List.of("Bearer ops-token", "Bearer root-token"))).isNull();
  }

  @Test
  void theDemoTableHasAnAdminAnAcmeOnlyAdminAndAViewer() {
    BearerTokens demo = BearerTokens.parse(BearerTokens.DEMO_TABLE);

    assertThat(demo.authenticate(List.of("Bearer demo-admin-token")).hasRole("ADMIN")).isTrue();
    assertThat(demo.authenticate(List.of("Bearer demo-acme-token")).mayActFor("globex"))
        .isFalse();
    assertThat(demo.authenticate(List.of("Bearer demo-viewer-token")).hasRole("ADMIN"))
        .isFalse();
  }

  @Test
  void malformedOrDuplicateEntriesFailWithTheEntry() {
    assertThatThrownBy(() -> BearerTokens.parse("t1=alice:acme-corp"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("but one was 't1=alice:acme-corp'");
    assertThatThrownBy(() -> BearerTokens.parse("=alice:acme-corp:ADMIN"))
        .hasMessageContaining("'=alice:acme-corp:ADMIN'");
    assertThatThrownBy(() -> BearerTokens.parse("t1=a:x:ADMIN,t1=b:y:ADMIN"))
        .hasMessageContaining("lists token 't1' twice");
  }
}
