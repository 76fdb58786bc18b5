package io.rtx.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rtx.launcher.ConnectClient;
import io.rtx.launcher.Secrets;
import io.rtx.ledger.Currency;
import io.rtx.ledger.Pii;
import io.rtx.ledger.ReferenceData;
import io.rtx.ledger.ReferenceData.AccountSpec;
import io.rtx.ledger.ReferenceData.UserSpec;
import io.rtx.schemas.Component;
import io.rtx.schemas.Decimals;
import io.rtx.schemas.LedgerEntryKind;
import io.rtx.schemas.LedgerLeg;
import io.rtx.schemas.LedgerTransaction;
import io.rtx.schemas.RegistrySerdes;
import io.rtx.schemas.Topics;
import io.rtx.testkit.LocalStack;
import io.rtx.testkit.UsesLocalStack;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The deployed {@code rtx-ledger-sink} (connectors/rtx-ledger-sink.json on the worker's plugin
 * path): bookings an exactly-once producer writes with our serde land once, an aborted one never,
 * and one the ledger refuses reaches {@code ledger.entries.dlq} with its reason. Currency QLE and
 * accounts LSE2E-* are this test's own.
 */
@UsesLocalStack({Component.POSTGRES, Component.KAFKA, Component.REGISTRY, Component.CONNECT})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LedgerSinkIT {

  private static final String CONNECTOR = "rtx-ledger-sink";
  private static final String CLIENT = "LSE2E-CLIENT-QLE";
  private static final String HOUSE = "LSE2E-HOUSE-QLE";

  private final LocalStack stack;
  private final String run = UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT);

  LedgerSinkIT(LocalStack stack) {
    this.stack = stack;
  }

  @BeforeAll
  void deploy() throws Exception {
    stack.stack().applyTopics(line -> {});
    PGSimpleDataSource backOffice = new PGSimpleDataSource();
    backOffice.setURL(stack.jdbcUrl());
    backOffice.setUser(Secrets.Role.BACKOFFICE.roleName());
    backOffice.setPassword(stack.settings().secrets().password(Secrets.Role.BACKOFFICE));
    ReferenceData data =
        new ReferenceData(backOffice, Pii.fromKey(stack.settings().secrets().piiKey()));
    data.currency(new Currency("QLE", 2), "lse2e-tester");
    data.user(new UserSpec("lse2e-owner", "system", null, null, null, "ACTIVE"), "lse2e-tester");
    for (String[] a : List.of(new String[] {HOUSE, "HOUSE"}, new String[] {CLIENT, "CLIENT"})) {
      data.account(
          new AccountSpec(
              a[0], "lse2e-owner", a[1], "QLE", BigDecimal.ONE, "ACTIVE", null, null, null),
          "lse2e-tester");
    }
    stack.deployConnectors();
  }

  @Test
  void bookingsLandOnceAnAbortedOneNeverAndARefusedOneReachesTheDeadLetterTopic() throws Exception {
    LedgerTransaction first = trade("FIRST", "1250.75");
    LedgerTransaction second = trade("SECOND", "-0.01");
    String u = id("UNBALANCED");
    LedgerTransaction unbalanced =
        LedgerTransaction.newBuilder(trade("UNBALANCED", "5.00"))
            .setLegs(
                List.of(
                    leg(u + ":1", CLIENT, "5.00", LedgerEntryKind.TRADE),
                    leg(u + ":2", HOUSE, "-4.99", LedgerEntryKind.TRADE)))
            .build();
    LedgerTransaction aborted = trade("ABORTED", "99.00");
    LedgerTransaction last = trade("LAST", "3.00");

    // One key, one partition: the records reach the sink in this order.
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "lse2e-" + run);
    try (var producer =
        new KafkaProducer<>(
            config,
            new StringSerializer(),
            RegistrySerdes.<LedgerTransaction>value(stack.registryUrl()).serializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      for (LedgerTransaction tx : List.of(first, second, unbalanced, first)) {
        producer.send(new ProducerRecord<>(Topics.LEDGER_ENTRIES.name(), CLIENT, tx));
      }
      producer.commitTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(Topics.LEDGER_ENTRIES.name(), CLIENT, aborted));
      producer.flush();
      producer.abortTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(Topics.LEDGER_ENTRIES.name(), CLIENT, last));
      producer.commitTransaction();
    }

    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> entryIds().contains(id("LAST") + ":1"));
    assertThat(entryIds())
        .containsExactly(
            id("FIRST") + ":1",
            id("FIRST") + ":2",
            id("LAST") + ":1",
            id("LAST") + ":2",
            id("SECOND") + ":1",
            id("SECOND") + ":2");
    assertThat(
            rows(
                "SELECT amount::text FROM transactions.ledger WHERE entry_id = ?",
                id("FIRST") + ":1"))
        .containsExactly("1250.75000000");
    assertThat(rows("SELECT account_id FROM transactions.balance_mismatches()")).isEmpty();

    ConsumerRecord<byte[], byte[]> dead = awaitDeadLetter(u);
    assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo(CLIENT);
    assertThat(header(dead, "__connect.errors.topic")).isEqualTo(Topics.LEDGER_ENTRIES.name());
    assertThat(header(dead, "__connect.errors.exception.message"))
        .contains("SQLState 23514")
        .contains("transaction " + u + " does not balance");

    var status = new ConnectClient(stack.connectUrl()).get("/connectors/" + CONNECTOR + "/status");
    assertThat(status.path("connector").path("state").asText()).isEqualTo("RUNNING");
    assertThat(status.path("tasks")).hasSize(2);
    status.path("tasks").forEach(t -> assertThat(t.path("state").asText()).isEqualTo("RUNNING"));
  }

  private String id(String name) {
    return "LSE2E-" + run + "-" + name;
  }

  private static LedgerLeg leg(String entryId, String account, String amount, LedgerEntryKind k) {
    return LedgerLeg.newBuilder()
        .setEntryId(entryId)
        .setAccountId(account)
        .setCurrency("QLE")
        .setAmount(Decimals.of(amount))
        .setKind(k)
        .build();
  }

  /** The client's trade against the house, balanced. */
  private LedgerTransaction trade(String name, String amount) {
    String id = id(name);
    BigDecimal a = new BigDecimal(amount);
    return LedgerTransaction.newBuilder()
        .setTransactionId(id)
        .setReference("EXEC-" + name)
        .setCreatedAt(Instant.parse("2026-12-02T11:00:00.125Z"))
        .setLegs(
            List.of(
                leg(id + ":1", CLIENT, a.toPlainString(), LedgerEntryKind.TRADE),
                leg(id + ":2", HOUSE, a.negate().toPlainString(), LedgerEntryKind.TRADE)))
        .build();
  }

  private List<String> entryIds() throws Exception {
    return rows(
        "SELECT entry_id FROM transactions.ledger WHERE transaction_id LIKE ? ORDER BY entry_id",
        id("%"));
  }

  private List<String> rows(String sql, Object... params) throws Exception {
    try (Connection c =
            DriverManager.getConnection(stack.jdbcUrl(), stack.pgUser(), stack.pgPassword());
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      List<String> out = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(r.getString(1));
        }
      }
      return out;
    }
  }

  /** The dead-letter record whose reason names {@code transactionId}. */
  private ConsumerRecord<byte[], byte[]> awaitDeadLetter(String transactionId) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "lse2e-dlq-" + run);
    try (var consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(Topics.LEDGER_ENTRIES_DLQ.name()));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          String reason = header(r, "__connect.errors.exception.message");
          if (reason != null && reason.contains(transactionId)) {
            return r;
          }
        }
      }
    }
    throw new AssertionError("no record of " + transactionId + " on ledger.entries.dlq");
  }

  private static String header(ConsumerRecord<?, ?> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
