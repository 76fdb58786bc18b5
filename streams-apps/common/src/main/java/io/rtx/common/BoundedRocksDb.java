package io.rtx.common;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the off-heap memory of every RocksDB store of the process, Kafka Streams' recipe ("RocksDB
 * memory management" in its docs): one block cache shared by all stores, index and filter blocks
 * cached in it, and the memtables charged to it through one write buffer manager. Without it each
 * store instance (and each segment of a window store) has a block cache and memtables of its own,
 * so memory grows with partitions, intervals and segments rather than with what the app holds.
 *
 * <p>The bound is {@code rocksdb.memory.mb} (passed as {@value #MEMORY_CONFIG} in the Streams
 * config), read by the first store that opens; half of it at most goes to memtables.
 */
public final class BoundedRocksDb implements RocksDBConfigSetter {

  /** Streams config key carrying the bound, in bytes. */
  public static final String MEMORY_CONFIG = "rtx.rocksdb.memory.bytes";

  /** The setting users give, in MiB. */
  public static final String SETTING = "rocksdb.memory.mb";

  /** Used when the Streams config carries no bound (e.g. a test driver given only this class). */
  static final long DEFAULT_BYTES = 64L << 20;

  private static final long BLOCK_SIZE = 16L << 10;
  private static final int MEMTABLES = 2;

  private static Shared shared;

  /** The cache and write buffer manager of the process, made once, never closed. */
  private record Shared(long bytes, Cache cache, WriteBufferManager writeBuffers) {}

  static synchronized Shared shared(long bytes) {
    if (shared == null) {
      // not strict (a full cache evicts, never fails a read); 10 % kept for index and filter
      // blocks (high priority)
      Cache cache = new LRUCache(bytes, -1, false, 0.1);
      shared = new Shared(bytes, cache, new WriteBufferManager(bytes / 2, cache));
    }
    return shared;
  }

  /** The bound in force in this process, in bytes (0 before the first store opened). */
  static synchronized long bytes() {
    return shared == null ? 0 : shared.bytes();
  }

  /**
   * Puts this setter and its bound, {@value #SETTING} checked, into {@code streamsConfig}; a {@code
   * kafka.rocksdb.config.setter} of the user's stays.
   */
  static void configure(Settings settings, Properties streamsConfig) {
    int mb = settings.getInt(SETTING);
    if (mb < 8 || mb > 1 << 20) {
      throw new IllegalArgumentException(
          "setting " + SETTING + " must be between 8 and 1048576 (MiB), got " + mb);
    }
    streamsConfig.putIfAbsent(
        StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDb.class.getName());
    streamsConfig.put(MEMORY_CONFIG, Long.toString((long) mb << 20));
  }

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    Object given = configs.get(MEMORY_CONFIG);
    Shared s = shared(given == null ? DEFAULT_BYTES : Long.parseLong(given.toString()));
    BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
    table.setBlockCache(s.cache());
    table.setCacheIndexAndFilterBlocks(true);
    table.setCacheIndexAndFilterBlocksWithHighPriority(true);
    table.setPinTopLevelIndexAndFilter(true);
    table.setBlockSize(BLOCK_SIZE);
    options.setWriteBufferManager(s.writeBuffers());
    options.setMaxWriteBufferNumber(MEMTABLES);
    options.setWriteBufferSize(Math.min(s.bytes() / 8, 16L << 20));
    options.setTableFormatConfig(table);
  }

  @Override
  public void close(String storeName, Options options) {
    // the cache and write buffer manager are shared by every store of the process: kept open
  }
}
