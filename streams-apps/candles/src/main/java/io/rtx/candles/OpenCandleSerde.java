package io.rtx.candles;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Binary form of {@link OpenCandle} for the window stores, their changelogs and the internal
 * repartition topic. Decimals are written exactly (scale + unscaled bytes); the leading version
 * byte lets a later build read what an earlier one wrote. Streams writes and reads the value on
 * every tick, so the seq runs — up to {@link SeqRuns#MAX_BYTES} — go in and out as one bulk copy.
 */
public final class OpenCandleSerde implements Serde<OpenCandle> {

  private static final byte VERSION = 1;

  @Override
  public Serializer<OpenCandle> serializer() {
    return (topic, candle) -> candle == null ? null : write(candle);
  }

  @Override
  public Deserializer<OpenCandle> deserializer() {
    return (topic, data) -> data == null ? null : read(data);
  }

  static byte[] write(OpenCandle c) {
    int size = 1 + 8 + decimalSize(c.volume()) + 4 + 16 * c.seqs().runCount();
    if (!c.isEmpty()) {
      size += decimalSize(c.open()) + decimalSize(c.high()) + decimalSize(c.low());
      size += decimalSize(c.close()) + 4 * 8;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put(VERSION);
    out.putLong(c.tickCount());
    writeDecimal(out, c.volume());
    if (!c.isEmpty()) {
      writeDecimal(out, c.open());
      out.putLong(c.openAt());
      out.putLong(c.openSeq());
      writeDecimal(out, c.high());
      writeDecimal(out, c.low());
      writeDecimal(out, c.close());
      out.putLong(c.closeAt());
      out.putLong(c.closeSeq());
    }
    out.putInt(2 * c.seqs().runCount());
    c.seqs().writeTo(out);
    return out.array();
  }

  static OpenCandle read(byte[] data) {
    try {
      ByteBuffer in = ByteBuffer.wrap(data);
      byte version = in.get();
      if (version != VERSION) {
        throw new SerializationException("unknown candle state version " + version);
      }
      long tickCount = in.getLong();
      BigDecimal volume = readDecimal(in);
      BigDecimal open = null;
      BigDecimal high = null;
      BigDecimal low = null;
      BigDecimal close = null;
      long openAt = 0;
      long openSeq = 0;
      long closeAt = 0;
      long closeSeq = 0;
      if (tickCount > 0) {
        open = readDecimal(in);
        openAt = in.getLong();
        openSeq = in.getLong();
        high = readDecimal(in);
        low = readDecimal(in);
        close = readDecimal(in);
        closeAt = in.getLong();
        closeSeq = in.getLong();
      }
      int bounds = in.getInt();
      if (bounds < 0 || bounds > in.remaining() / 8) {
        throw new SerializationException("cannot read candle state: " + bounds + " run bounds");
      }
      SeqRuns seqs = SeqRuns.readFrom(in, bounds);
      if (in.hasRemaining()) {
        throw new SerializationException("trailing bytes after candle state");
      }
      return new OpenCandle(
          open, openAt, openSeq, high, low, close, closeAt, closeSeq, volume, tickCount, seqs);
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw new SerializationException("cannot read candle state: " + e.getMessage(), e);
    }
  }

  /**
   * Bytes {@link #writeDecimal} takes: scale, length, and the unscaled value as {@link
   * BigInteger#toByteArray()} writes it (big-endian two's complement, shortest form).
   */
  private static int decimalSize(BigDecimal value) {
    return 4 + 2 + value.unscaledValue().bitLength() / 8 + 1;
  }

  // Prices and sizes fit a long unscaled: those take the fast path, which writes and reads the same
  // bytes as BigInteger's but builds no BigInteger from them (a third of this serde's cost).

  private static void writeDecimal(ByteBuffer out, BigDecimal value) {
    BigInteger unscaled = value.unscaledValue();
    out.putInt(value.scale());
    int bits = unscaled.bitLength();
    if (bits >= Long.SIZE) {
      byte[] bytes = unscaled.toByteArray();
      out.putShort((short) bytes.length);
      out.put(bytes);
      return;
    }
    long v = unscaled.longValue();
    int length = bits / 8 + 1;
    out.putShort((short) length);
    for (int shift = 8 * (length - 1); shift >= 0; shift -= 8) {
      out.put((byte) (v >> shift));
    }
  }

  private static BigDecimal readDecimal(ByteBuffer in) {
    int scale = in.getInt();
    int length = Short.toUnsignedInt(in.getShort());
    if (length == 0 || length > Long.BYTES) {
      byte[] unscaled = new byte[length];
      in.get(unscaled);
      return new BigDecimal(new BigInteger(unscaled), scale);
    }
    long v = in.get(); // sign-extends the first byte
    for (int i = 1; i < length; i++) {
      v = (v << 8) | (in.get() & 0xff);
    }
    return BigDecimal.valueOf(v, scale);
  }
}
