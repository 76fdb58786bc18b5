package io.rtx.common;

import java.util.Objects;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Which instance answers for one key of a state store right now: this one, another one at {@code
 * address} ({@code host:port}, its {@code application.server}), or none known (rebalancing), with
 * the reason.
 */
public record KeyOwner(Where where, String address, String reason) {

  public enum Where {
    LOCAL,
    REMOTE,
    UNKNOWN
  }

  public KeyOwner {
    Objects.requireNonNull(where, "where");
    if (where == Where.REMOTE && (address == null || address.isBlank())) {
      throw new IllegalArgumentException("a remote owner needs an address");
    }
  }

  public static KeyOwner local() {
    return new KeyOwner(Where.LOCAL, null, null);
  }

  public static KeyOwner remote(String address) {
    return new KeyOwner(Where.REMOTE, address, null);
  }

  public static KeyOwner unknown(String reason) {
    return new KeyOwner(Where.UNKNOWN, null, reason);
  }

  /**
   * The owner of {@code key} in {@code store}, from Streams' metadata.
   *
   * @param self this instance's {@code application.server}; blank means it is the only instance
   *     anyone can reach, so it answers every key itself
   */
  public static <K> KeyOwner of(
      KafkaStreams streams, String store, K key, Serializer<K> serializer, String self) {
    if (alone(self)) {
      return local();
    }
    KeyQueryMetadata metadata;
    try {
      metadata = streams.queryMetadataForKey(store, key, serializer);
    } catch (InvalidStateStoreException | IllegalStateException e) {
      // Not started, shutting down or failed: no metadata to go by.
      return unknown(
          "store " + store + " is not available (" + e.getMessage() + "), retry shortly");
    }
    return of(metadata, store, self);
  }

  /** The decision on metadata Streams gave; separate so it is tested without a broker. */
  static KeyOwner of(KeyQueryMetadata metadata, String store, String self) {
    if (alone(self)) {
      return local();
    }
    HostInfo active = metadata == null ? null : metadata.activeHost();
    if (active == null
        || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)
        || active.port() <= 0
        || HostInfo.unavailable().equals(active)) {
      return unknown(
          "no instance holds store " + store + " for this key (rebalancing), retry shortly");
    }
    String owner = active.host() + ":" + active.port();
    return owner.equals(self) ? local() : remote(owner);
  }

  private static boolean alone(String self) {
    return self == null || self.isBlank();
  }
}
