package io.rtx.orders;

import io.rtx.common.HttpEndpoint;
import io.rtx.common.Settings;
import io.rtx.common.StreamsApp;
import java.time.Clock;

/**
 * The orders app: pre-trade risk, executions, positions and balances; {@code POST /orders}, {@code
 * GET /orders/{id}}, {@code GET /accounts/{id}}.
 */
public final class OrdersApp {

  private OrdersApp() {}

  public static void main(String[] args) throws Exception {
    Settings settings = Settings.load(OrderSettings.APP, args);
    OrderSettings orders = OrderSettings.from(settings.asMap());
    OrderSerdes serdes = OrderSerdes.registry(settings.get("registry.url"));
    String self = settings.get("kafka.application.server", "");
    try (OrderGateway gateway = new OrderGateway(settings, orders, serdes, Clock.systemUTC());
        AutoCloseable cache =
            orders.redisUrl().isPresent()
                ? new AccountCache(settings, orders.redisUrl().get(), serdes)
                : () -> {}) {
      StreamsApp.run(
          settings,
          OrdersTopology.build(orders, serdes),
          streams -> {
            OrderQueries queries = new OrderQueries(streams, self);
            return HttpEndpoint.routes()
                .post("/orders", gateway::submit)
                .get("/orders/{id}", queries::order)
                .get("/accounts/{id}", queries.account());
          });
    }
  }
}
