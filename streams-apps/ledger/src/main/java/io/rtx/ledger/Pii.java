package io.rtx.ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Personal data (users' email and phone) sealed with AES-256-GCM before it reaches the database,
 * with a key the database never sees. A sealed value is {@code version(1) | iv(12) | ciphertext |
 * tag(16)}; the context (e.g. {@code users.email:alice}) is authenticated too, so a value copied to
 * another user or column does not open.
 *
 * <p>The key is 32 random bytes, base64url: the local stack generates one ({@code
 * Secrets.piiKey()}); elsewhere {@value #KEY_FILE} names a file holding it.
 */
public final class Pii {

  /** The environment variable naming the file that holds the key, outside the local stack. */
  public static final String KEY_FILE = "RTX_PII_KEY_FILE";

  private static final byte VERSION = 1;
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec key;
  private final SecureRandom random = new SecureRandom();

  private Pii(byte[] key) {
    this.key = new SecretKeySpec(key, "AES");
  }

  /** A key as base64url text (padding optional). */
  public static Pii fromKey(String base64url) {
    byte[] key;
    try {
      key = Base64.getUrlDecoder().decode(base64url.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the PII key is not base64url: " + e.getMessage());
    }
    if (key.length != 32) {
      throw new IllegalArgumentException(
          "the PII key must be 32 bytes (AES-256), base64url; got " + key.length + " bytes");
    }
    return new Pii(key);
  }

  /** The key held in {@code file} (what {@value #KEY_FILE} names). */
  public static Pii fromFile(Path file) {
    try {
      return fromKey(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the PII key from " + file, e);
    }
  }

  public byte[] seal(String plaintext, String context) {
    byte[] iv = new byte[IV_BYTES];
    random.nextBytes(iv);
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, iv, context);
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.allocate(1 + IV_BYTES + sealed.length)
          .put(VERSION)
          .put(iv)
          .put(sealed)
          .array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  /** The plaintext; refused when the value was changed, or sealed with another key or context. */
  public String open(byte[] sealed, String context) {
    if (sealed.length < 1 + IV_BYTES + TAG_BITS / 8 || sealed[0] != VERSION) {
      throw new IllegalStateException("not a sealed value (" + context + ")");
    }
    try {
      Cipher cipher =
          cipher(
              Cipher.DECRYPT_MODE, java.util.Arrays.copyOfRange(sealed, 1, 1 + IV_BYTES), context);
      byte[] plain = cipher.doFinal(sealed, 1 + IV_BYTES, sealed.length - 1 - IV_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (AEADBadTagException e) {
      throw new IllegalStateException(
          "personal data (" + context + ") does not open: altered, or sealed with another key");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  private Cipher cipher(int mode, byte[] iv, String context) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, iv));
    cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
    return cipher;
  }

  @Override
  public String toString() {
    return "Pii[key hidden]";
  }
}
