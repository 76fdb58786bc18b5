package io.rtx.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

class KeyOwnerTest {

  private static KeyQueryMetadata activeOn(String host, int port) {
    return new KeyQueryMetadata(new HostInfo(host, port), Set.of(), 3);
  }

  @Test
  void thisInstanceOrAnother() {
    assertThat(KeyOwner.of(activeOn("10.0.0.1", 8090), "candles-1m", "10.0.0.1:8090"))
        .isEqualTo(KeyOwner.local());
    assertThat(KeyOwner.of(activeOn("10.0.0.2", 8090), "candles-1m", "10.0.0.1:8090"))
        .isEqualTo(KeyOwner.remote("10.0.0.2:8090"));
  }

  @Test
  void noOwnerWhileMetadataIsNotAvailable() {
    KeyOwner owner = KeyOwner.of(KeyQueryMetadata.NOT_AVAILABLE, "candles-1m", "10.0.0.1:8090");
    assertThat(owner.where()).isEqualTo(KeyOwner.Where.UNKNOWN);
    assertThat(owner.reason())
        .isEqualTo("no instance holds store candles-1m for this key (rebalancing), retry shortly");
    assertThat(KeyOwner.of(null, "candles-1m", "10.0.0.1:8090").where())
        .isEqualTo(KeyOwner.Where.UNKNOWN);
  }

  @Test
  void withoutAnAddressOfItsOwnAnInstanceAnswersEveryKey() {
    assertThat(KeyOwner.of(activeOn("10.0.0.2", 8090), "candles-1m", ""))
        .isEqualTo(KeyOwner.local());
    assertThat(KeyOwner.of(KeyQueryMetadata.NOT_AVAILABLE, "candles-1m", null))
        .isEqualTo(KeyOwner.local());
  }
}
