package io.rtx.orders;

import io.rtx.common.Forwarder;
import io.rtx.common.HttpEndpoint;
import io.rtx.common.HttpError;
import io.rtx.common.KeyOwner;
import io.rtx.common.Request;
import io.rtx.common.Response;
import io.rtx.schemas.Tick;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * {@code GET /accounts/{id}} (answered by the instance that owns the account, forwarded there
 * otherwise) and {@code GET /orders/{id}} (an order is held where its account is; an instance that
 * does not hold it asks the others). Both read the live stores: state changes show at once, ahead
 * of the output topics' commit.
 */
final class OrderQueries {

  private final KafkaStreams streams;
  private final String self;
  private final Forwarder forwarder;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  OrderQueries(KafkaStreams streams, String self) {
    this.streams = streams;
    this.self = self;
    this.forwarder = new Forwarder(self);
  }

  HttpEndpoint.Handler account() {
    return forwarder.toOwner(
        r ->
            KeyOwner.of(
                streams, StoreNames.ACCOUNTS, r.path("id"), Serdes.String().serializer(), self),
        this::localAccount);
  }

  private Response localAccount(Request request) {
    String id = request.path("id");
    AccountRef account = this.<AccountRef>store(StoreNames.ACCOUNTS_REF).get(id);
    AccountState state = this.<AccountState>store(StoreNames.ACCOUNTS).get(id);
    if (account == null) {
      throw new HttpError(404, "no account " + id);
    }
    if (state == null) {
      state = new AccountState(id);
    }
    ReadOnlyKeyValueStore<String, InstrumentRef> instruments = store(StoreNames.INSTRUMENTS_REF);
    ReadOnlyKeyValueStore<String, Tick> quotes = store(StoreNames.QUOTES);
    return Response.json(
        200, Margin.view(state, account, instruments::get, new Prices(quotes::get)));
  }

  Response order(Request request) {
    String id = request.path("id");
    OrderRecord local = this.<OrderRecord>store(StoreNames.ORDERS).get(id);
    if (local != null) {
      return Response.json(200, local);
    }
    if (request.header(Forwarder.FORWARDED_FROM).isEmpty() && !self.isBlank()) {
      for (StreamsMetadata instance : streams.metadataForAllStreamsClients()) {
        String address = instance.hostInfo().host() + ":" + instance.hostInfo().port();
        if (!address.equals(self)) {
          Response r = ask(address, request.target());
          if (r != null && r.status() == 200) {
            return r;
          }
        }
      }
    }
    throw new HttpError(404, "no order " + id);
  }

  /** The other instance's answer, or null when it cannot be asked. */
  private Response ask(String address, String target) {
    try {
      HttpResponse<byte[]> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://" + address + target))
                  .timeout(Duration.ofSeconds(2))
                  .header(Forwarder.FORWARDED_FROM, self)
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      return new Response(r.statusCode(), Response.JSON, java.util.Map.of(), r.body());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private <V> ReadOnlyKeyValueStore<String, V> store(String name) {
    return streams.store(
        StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore()));
  }
}
