package io.rtx.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PiiTest {

  private static String key(int fill, int bytes) {
    byte[] k = new byte[bytes];
    java.util.Arrays.fill(k, (byte) fill);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(k);
  }

  private final Pii pii = Pii.fromKey(key(7, 32));
  private static final String CONTEXT = "users.email:alice";

  @Test
  void whatIsSealedOpensToTheSameText() {
    for (String text : new String[] {"alice@example.com", "+44 20 7946 0958", "", "Zoë ✓"}) {
      assertThat(pii.open(pii.seal(text, CONTEXT), CONTEXT)).isEqualTo(text);
    }
  }

  @Test
  void theSealedFormHidesTheTextAndNeverRepeats() {
    byte[] a = pii.seal("alice@example.com", CONTEXT);
    byte[] b = pii.seal("alice@example.com", CONTEXT);
    // version, 12-byte IV, ciphertext as long as the text, 16-byte tag
    assertThat(a).hasSize(1 + 12 + "alice@example.com".length() + 16);
    assertThat(a).isNotEqualTo(b);
    assertThat(new String(a, StandardCharsets.ISO_8859_1)).doesNotContain("alice");
  }

  @Test
  void everyAlteredByteIsDetected() {
    byte[] sealed = pii.seal("alice@example.com", CONTEXT);
    for (int i = 1; i < sealed.length; i++) { // IV, ciphertext and tag
      byte[] tampered = sealed.clone();
      tampered[i] ^= 0x01;
      assertThatThrownBy(() -> pii.open(tampered, CONTEXT))
          .as("byte %d", i)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "personal data (users.email:alice) does not open: altered, or sealed with another key");
    }
    byte[] truncated = java.util.Arrays.copyOf(sealed, sealed.length - 1);
    assertThatThrownBy(() -> pii.open(truncated, CONTEXT))
        .isInstanceOf(IllegalStateException.class);
    byte[] otherVersion = sealed.clone();
    otherVersion[0] = 2;
    assertThatThrownBy(() -> pii.open(otherVersion, CONTEXT))
        .hasMessage("not a sealed value (users.email:alice)");
  }

  @Test
  void aValueMovedToAnotherUserOrColumnDoesNotOpen() {
    byte[] sealed = pii.seal("alice@example.com", CONTEXT);
    assertThatThrownBy(() -> pii.open(sealed, "users.email:mallory"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> pii.open(sealed, "users.phone:alice"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void anotherKeyDoesNotOpen() {
    byte[] sealed = pii.seal("alice@example.com", CONTEXT);
    assertThatThrownBy(() -> Pii.fromKey(key(8, 32)).open(sealed, CONTEXT))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theKeyIs32BytesOfBase64url() {
    assertThatThrownBy(() -> Pii.fromKey(key(7, 16)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the PII key must be 32 bytes (AES-256), base64url; got 16 bytes");
    assertThatThrownBy(() -> Pii.fromKey("not base64!"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("the PII key is not base64url");
  }

  @Test
  void theKeyFileHoldsTheKey(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("pii.key");
    Files.writeString(file, key(7, 32) + "\n");
    byte[] sealed = Pii.fromFile(file).seal("alice@example.com", CONTEXT);
    assertThat(pii.open(sealed, CONTEXT)).isEqualTo("alice@example.com");
    assertThat(Pii.fromFile(file)).hasToString("Pii[key hidden]");
    // padded base64url, as basenc writes it, is the same key
    assertThat(Pii.fromKey(key(7, 32) + "=").open(sealed, CONTEXT)).isEqualTo("alice@example.com");
  }
}
