package io.rtx.common;

import io.rtx.schemas.Component;
import io.rtx.schemas.PatientDeserializer;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deserialization handler of the apps that let Kafka Streams read their input: a record that
 * cannot be read goes to the dead-letter topic ({@code errors.dead.letter.queue.topic.name}, with
 * Kafka Streams' {@code __streams.errors.*} headers) and is counted as {@code UNREADABLE} in {@code
 * rtx_dead_letters_total}; but a record that waited in vain for an unreachable schema registry
 * stops the thread, so that it is read again later, never skipped.
 */
public class UnreadableRecords extends LogAndContinueExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(UnreadableRecords.class);

  private String app = "unknown";

  @Override
  public void configure(Map<String, ?> configs) {
    super.configure(configs);
    Object id = configs.get(StreamsConfig.APPLICATION_ID_CONFIG);
    if (id != null) {
      // the app's name as the other dead-letter paths write it (candles for rtx-candles)
      app =
          Arrays.stream(Component.values())
              .filter(c -> c.applicationId().filter(id::equals).isPresent())
              .map(Component::id)
              .findFirst()
              .orElse(id.toString());
    }
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    if (PatientDeserializer.RegistryUnavailableException.causedBy(exception)) {
      log.warn(
          "{}-{} offset {} waits for the schema registry; the thread stops and reads it again",
          record.topic(),
          record.partition(),
          record.offset());
      return Response.fail();
    }
    DeadLetters.count(app, TickRules.UNREADABLE, String.valueOf(exception.getMessage()));
    return super.handleError(context, record, exception);
  }
}
