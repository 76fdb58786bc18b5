package io.rtx.orders;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.rtx.schemas.AccountBalance;
import io.rtx.schemas.Execution;
import io.rtx.schemas.LedgerTransaction;
import io.rtx.schemas.Order;
import io.rtx.schemas.OrderDecision;
import io.rtx.schemas.Position;
import io.rtx.schemas.RegistrySerdes;
import io.rtx.schemas.Tick;
import io.rtx.schemas.Topics;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;

/**
 * The order path's serdes: our topics in Avro through the registry, and readers of the records
 * Debezium writes (keys and values whose schemas are the database's). Tests pass plain Avro ones.
 */
public record OrderSerdes(
    Serde<Order> order,
    Serde<OrderDecision> decision,
    Serde<Execution> execution,
    Serde<Position> position,
    Serde<AccountBalance> balance,
    Serde<LedgerTransaction> ledger,
    Serde<Tick> tick,
    Deserializer<Object> debeziumKeys,
    Deserializer<Object> debeziumValues) {

  public static OrderSerdes registry(String registryUrl) {
    Map<String, Object> generic = new HashMap<>(RegistrySerdes.config(registryUrl));
    generic.put("apicurio.registry.use-specific-avro-reader", "false");
    AvroKafkaDeserializer<Object> keys = new AvroKafkaDeserializer<>();
    keys.configure(generic, true);
    AvroKafkaDeserializer<Object> values = new AvroKafkaDeserializer<>();
    values.configure(generic, false);
    // Each serde finds its schema under its catalog topic's subject, wherever it writes: the
    // sim-by-symbol repartition topic (decisions) and orders.dlq (executions) have none.
    return new OrderSerdes(
        RegistrySerdes.valueOf(registryUrl, Topics.ORDERS.name()),
        RegistrySerdes.valueOf(registryUrl, Topics.ORDER_DECISIONS.name()),
        RegistrySerdes.valueOf(registryUrl, Topics.EXECUTIONS.name()),
        RegistrySerdes.valueOf(registryUrl, Topics.POSITIONS.name()),
        RegistrySerdes.valueOf(registryUrl, Topics.BALANCES.name()),
        RegistrySerdes.valueOf(registryUrl, Topics.LEDGER_ENTRIES.name()),
        RegistrySerdes.valueOf(registryUrl, Topics.MARKET_TICKS.name()),
        keys,
        values);
  }
}
