package io.rtx.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PromQlTest {

  private static final Path REPO = Path.of("../..").toAbsolutePath().normalize();

  @Test
  void findsTheMetricsOfAnExpressionAndNothingElse() {
    assertThat(
            PromQl.metricNames(
                "histogram_quantile(0.99, sum by (job, uri, le) (rate(http_server_requests_seconds_bucket{method=\"GET\", uri=~\"a{b}\"}[5m]))) > 0.1"))
        .containsExactly("http_server_requests_seconds_bucket");
    assertThat(
            PromQl.metricNames(
                "sum without (datname, state) (pg_stat_activity_count) / on (job) group_left ignoring(x) pg_settings_max_connections > bool 0.8 and up offset 5m"))
        .containsExactly("pg_settings_max_connections", "pg_stat_activity_count", "up");
  }

  @Test
  void readsEveryRuleAndEveryDashboardQuery() throws Exception {
    assertThat(PromQl.ruleExpressions(REPO.resolve("infra/prometheus/rules"))).hasSize(14);
    assertThat(PromQl.dashboardExpressions(REPO.resolve("infra/grafana/rtx-dashboard.json")))
        .hasSize(16)
        .allSatisfy(expr -> assertThat(PromQl.metricNames(expr)).isNotEmpty());
  }
}
