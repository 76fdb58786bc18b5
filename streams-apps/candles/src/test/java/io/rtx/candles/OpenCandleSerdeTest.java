package io.rtx.candles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class OpenCandleSerdeTest {

  private final OpenCandleSerde serde = new OpenCandleSerde();

  private OpenCandle roundTrip(OpenCandle c) {
    return serde.deserializer().deserialize("t", serde.serializer().serialize("t", c));
  }

  @Test
  void keepsEveryFieldExactlyIncludingScale() {
    OpenCandle c =
        OpenCandle.empty()
            .add(
                1_700_000_000_123L,
                41,
                new BigDecimal("1.08765000"),
                new BigDecimal("12345678901.12345678"))
            .add(1_700_000_000_100L, 40, new BigDecimal("99999999999.99999999"), null)
            .add(1_700_000_000_900L, 45, new BigDecimal("0.00000001"), new BigDecimal("0.5"));

    OpenCandle back = roundTrip(c);

    assertThat(back).isEqualTo(c);
    assertThat(back.high().scale()).isEqualTo(8);
    assertThat(back.volume()).isEqualTo(new BigDecimal("12345678901.62345678"));
    assertThat(back.seqs().bounds()).containsExactly(40, 41, 45, 45);
  }

  @Test
  void keepsEmptyAndNull() {
    assertThat(roundTrip(OpenCandle.empty())).isEqualTo(OpenCandle.empty());
    assertThat(serde.serializer().serialize("t", null)).isNull();
    assertThat(serde.deserializer().deserialize("t", null)).isNull();
  }

  @Test
  void refusesBytesItDidNotWrite() {
    assertThatThrownBy(() -> serde.deserializer().deserialize("t", new byte[] {9, 0}))
        .isInstanceOf(SerializationException.class);
    byte[] good =
        serde.serializer().serialize("t", OpenCandle.empty().add(1, 1, BigDecimal.ONE, null));
    byte[] truncated = Arrays.copyOf(good, good.length - 3);
    assertThatThrownBy(() -> serde.deserializer().deserialize("t", truncated))
        .isInstanceOf(SerializationException.class);
  }

  /** Bytes of the candle below as the first build wrote them: version 1 must stay readable. */
  private static final String FIRST_BUILD =
      "01000000000000000300000008000411e1a300000000080004067b8bc00000018bcfe56864000000000000002800"
          + "0000080004067bb2d0000000080004067b8bc0000000080004067bb2d00000018bcfe56b84000000000000002"
          + "d0000000400000000000000280000000000000029000000000000002d000000000000002d";

  @Test
  void readsAndWritesTheFormatOfTheFirstBuild() {
    OpenCandle c =
        OpenCandle.empty()
            .add(1_700_000_000_123L, 41, new BigDecimal("1.08765000"), new BigDecimal("2.5"))
            .add(1_700_000_000_100L, 40, new BigDecimal("1.08760000"), null)
            .add(
                1_700_000_000_900L, 45, new BigDecimal("1.08770000"), new BigDecimal("0.50000000"));
    byte[] first = HexFormat.of().parseHex(FIRST_BUILD);

    assertThat(OpenCandleSerde.read(first)).isEqualTo(c);
    assertThat(OpenCandleSerde.write(c)).isEqualTo(first);
    assertThat(HexFormat.of().formatHex(OpenCandleSerde.write(OpenCandle.empty())))
        .isEqualTo("0100000000000000000000000800010000000000");
  }

  @Test
  void decimalsOfEveryLengthAndSignAreWrittenAsBigIntegerWritesThem() {
    for (String unscaled :
        List.of(
            "0",
            "1",
            "-1",
            "127",
            "128",
            "-128",
            "-129",
            "255",
            "32768",
            Long.toString(Long.MAX_VALUE),
            Long.toString(Long.MIN_VALUE),
            "9223372036854775808",
            "-9223372036854775809",
            "123456789012345678901234567890",
            "-123456789012345678901234567890")) {
      BigDecimal price = new BigDecimal(new BigInteger(unscaled), 8);
      OpenCandle c = OpenCandle.empty().add(1, 1, price, price);
      byte[] bytes = OpenCandleSerde.write(c);

      OpenCandle back = OpenCandleSerde.read(bytes);

      assertThat(back).as(unscaled).isEqualTo(c);
      assertThat(back.open().scale()).isEqualTo(8);
      // the volume comes first: version, tick count, then scale, length and BigInteger's bytes
      byte[] expected = price.unscaledValue().toByteArray();
      ByteBuffer volume = ByteBuffer.wrap(bytes, 1 + 8, 4 + 2 + expected.length);
      assertThat(volume.getInt()).isEqualTo(8);
      assertThat(volume.getShort()).as(unscaled).isEqualTo((short) expected.length);
      byte[] written = new byte[expected.length];
      volume.get(written);
      assertThat(written).as(unscaled).isEqualTo(expected);
    }
  }

  @Test
  void stateWithMoreRunsThanTheCapIsReadWithTheLowestJoined() {
    OpenCandle c = OpenCandle.empty().add(1, 1, BigDecimal.ONE, null);
    byte[] oneRun = OpenCandleSerde.write(c);
    int runs = 3 * SeqRuns.MAX_RUNS;
    ByteBuffer uncapped = ByteBuffer.allocate(oneRun.length - 16 + 16 * runs);
    uncapped.put(oneRun, 0, oneRun.length - 4 - 16).putInt(2 * runs);
    for (long k = 0; k < runs; k++) {
      uncapped.putLong(1 + 7 * k).putLong(1 + 7 * k);
    }

    SeqRuns back = OpenCandleSerde.read(uncapped.array()).seqs();

    assertThat(back.runCount()).isEqualTo(SeqRuns.MAX_RUNS);
    for (long k = 0; k < runs; k++) {
      assertThat(back.contains(1 + 7 * k)).isTrue();
    }
    long lastJoined = 1 + 7L * (runs - SeqRuns.MAX_RUNS);
    assertThat(back.bounds()).startsWith(1, lastJoined, lastJoined + 7, lastJoined + 7);
  }

  @Test
  void aGappyWindowStaysUnderTheBound() {
    OpenCandle c = OpenCandle.empty();
    for (long seq = 1; seq < 100_000 * 7L; seq += 7) {
      c = c.add(seq, seq, new BigDecimal("1.08765000"), new BigDecimal("1000000.00000000"));
    }
    assertThat(c.tickCount()).isEqualTo(100_000);
    assertThat(serde.serializer().serialize("t", c).length)
        .isLessThanOrEqualTo(SeqRuns.MAX_BYTES + 4 + 150);
  }

  @Test
  void refusesARunCountLargerThanTheBytes() {
    byte[] good =
        serde.serializer().serialize("t", OpenCandle.empty().add(1, 1, BigDecimal.ONE, null));
    byte[] huge = Arrays.copyOf(good, good.length);
    ByteBuffer.wrap(huge).putInt(good.length - 4 - 16, Integer.MAX_VALUE);
    assertThatThrownBy(() -> serde.deserializer().deserialize("t", huge))
        .isInstanceOf(SerializationException.class);
  }
}
