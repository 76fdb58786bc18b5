package io.rtx.candles;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Binary form of {@link OpenCandle} for the window stores, their changelogs and the internal
 * repartition topic. Decimals are written exactly (scale + unscaled bytes); the leading version
 * byte lets a later build read what an earlier one wrote.
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
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(96 + 16 * c.seqs().runCount());
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeLong(c.tickCount());
      writeDecimal(out, c.volume());
      if (!c.isEmpty()) {
        writeDecimal(out, c.open());
        out.writeLong(c.openAt());
        out.writeLong(c.openSeq());
        writeDecimal(out, c.high());
        writeDecimal(out, c.low());
        writeDecimal(out, c.close());
        out.writeLong(c.closeAt());
        out.writeLong(c.closeSeq());
      }
      long[] runs = c.seqs().bounds();
      out.writeInt(runs.length);
      for (long bound : runs) {
        out.writeLong(bound);
      }
    } catch (IOException e) {
      throw new SerializationException("cannot write candle state", e);
    }
    return bytes.toByteArray();
  }

  static OpenCandle read(byte[] data) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      byte version = in.readByte();
      if (version != VERSION) {
        throw new SerializationException("unknown candle state version " + version);
      }
      long tickCount = in.readLong();
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
        openAt = in.readLong();
        openSeq = in.readLong();
        high = readDecimal(in);
        low = readDecimal(in);
        close = readDecimal(in);
        closeAt = in.readLong();
        closeSeq = in.readLong();
      }
      long[] runs = new long[in.readInt()];
      for (int i = 0; i < runs.length; i++) {
        runs[i] = in.readLong();
      }
      if (in.available() > 0) {
        throw new SerializationException("trailing bytes after candle state");
      }
      return new OpenCandle(
          open,
          openAt,
          openSeq,
          high,
          low,
          close,
          closeAt,
          closeSeq,
          volume,
          tickCount,
          SeqRuns.of(runs));
    } catch (IOException | IllegalArgumentException | NegativeArraySizeException e) {
      throw new SerializationException("cannot read candle state: " + e.getMessage(), e);
    }
  }

  private static void writeDecimal(DataOutputStream out, BigDecimal value) throws IOException {
    byte[] unscaled = value.unscaledValue().toByteArray();
    out.writeInt(value.scale());
    out.writeShort(unscaled.length);
    out.write(unscaled);
  }

  private static BigDecimal readDecimal(DataInputStream in) throws IOException {
    int scale = in.readInt();
    byte[] unscaled = new byte[in.readUnsignedShort()];
    in.readFully(unscaled);
    return new BigDecimal(new BigInteger(unscaled), scale);
  }
}
