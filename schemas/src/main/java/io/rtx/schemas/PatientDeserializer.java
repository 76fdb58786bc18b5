package io.rtx.schemas;

import io.apicurio.registry.resolver.strategy.ArtifactReference;
import io.apicurio.registry.serde.kafka.KafkaDeserializer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A registry deserializer that tells a bad record from a registry it cannot reach. When reading a
 * record in the registry's wire format fails and the registry does not answer (or answers 5xx), the
 * record is not the problem: the deserializer waits, with back-off, and reads it again once the
 * registry is back, so a good record is never dead-lettered for an outage. A failure while the
 * registry answers is the record's own, and is thrown as before (the app's dead-letter path).
 *
 * <p>A wait is bounded by {@link #MAX_WAIT} (well inside a consumer's {@code
 * max.poll.interval.ms}); then {@link RegistryUnavailableException} is thrown, which the apps'
 * error handlers treat as a reason to stop and retry the record, never to skip it. {@link
 * #outage()} says, for {@code /health}, since when the registry has been unreachable.
 */
public final class PatientDeserializer<T> implements Deserializer<T> {

  public static final Duration MAX_WAIT = Duration.ofSeconds(60);
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  private static final Logger log = LoggerFactory.getLogger(PatientDeserializer.class);

  /** Since when, and why, the registry has been unreachable; null while it answers. */
  private static final AtomicReference<String> OUTAGE = new AtomicReference<>();

  /** Every deserializer of this JVM, for {@link #warmAll}. */
  private static final Set<PatientDeserializer<?>> LIVE =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  private final Deserializer<T> inner;
  private final URI probe;
  private final Duration maxWait;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  /**
   * @param registryUrl the registry's core v2 API, e.g. {@code http://host:8081/apis/registry/v2}
   */
  public PatientDeserializer(Deserializer<T> inner, String registryUrl) {
    this(inner, registryUrl, MAX_WAIT);
  }

  PatientDeserializer(Deserializer<T> inner, String registryUrl, Duration maxWait) {
    this.inner = inner;
    this.probe = URI.create(registryUrl.replaceAll("/+$", "") + "/system/info");
    this.maxWait = maxWait;
    LIVE.add(this);
  }

  /**
   * Resolves the schemas of {@code contentIds} in every registry deserializer of this JVM, so that
   * the first records after a start find them cached and the registry client warm: otherwise the
   * first record of a restarted app waits a second or more for a cold client. Best effort: a schema
   * that cannot be resolved now is resolved by the first record that carries it.
   */
  public static void warmAll(Collection<Long> contentIds) {
    List<PatientDeserializer<?>> live;
    synchronized (LIVE) {
      live = List.copyOf(LIVE);
    }
    for (PatientDeserializer<?> d : live) {
      if (d.inner instanceof KafkaDeserializer<?, ?> registry) {
        for (Long id : contentIds) {
          try {
            registry
                .getSchemaResolver()
                .resolveSchemaByArtifactReference(
                    ArtifactReference.builder().contentId(id).build());
          } catch (RuntimeException e) {
            log.debug("schema {} not resolved ahead of its first record: {}", id, e.toString());
          }
        }
      }
    }
  }

  /** Why records wait, while the registry is unreachable: for {@code /health}. */
  public static Optional<String> outage() {
    return Optional.ofNullable(OUTAGE.get());
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    inner.configure(configs, isKey);
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    return read(() -> inner.deserialize(topic, data), data);
  }

  @Override
  public T deserialize(String topic, Headers headers, byte[] data) {
    return read(() -> inner.deserialize(topic, headers, data), data);
  }

  private T read(java.util.function.Supplier<T> attempt, byte[] data) {
    long deadline = System.nanoTime() + maxWait.toNanos();
    Duration backoff = FIRST_BACKOFF;
    while (true) {
      try {
        T value = attempt.get();
        if (OUTAGE.getAndSet(null) != null) {
          log.warn("schema registry reachable again ({}); reading records", probe);
        }
        return value;
      } catch (RuntimeException e) {
        if (!registryFormat(data) || registryAnswers()) {
          throw e; // the record itself cannot be read
        }
        if (OUTAGE.compareAndSet(null, "schema registry unreachable since " + Instant.now())) {
          log.warn(
              "schema registry unreachable ({}): records wait until it answers, none is"
                  + " dead-lettered for it; {}",
              probe,
              e.toString());
        }
        if (System.nanoTime() > deadline) {
          throw new RegistryUnavailableException(
              "schema registry unreachable for " + maxWait.toSeconds() + "s (" + probe + ")", e);
        }
        sleep(backoff);
        backoff = backoff.multipliedBy(2);
        if (backoff.compareTo(MAX_BACKOFF) > 0) {
          backoff = MAX_BACKOFF;
        }
      }
    }
  }

  /** Magic byte 0 and a schema id: a record of the registry's wire format. */
  private static boolean registryFormat(byte[] data) {
    return data != null && data.length > 5 && data[0] == 0;
  }

  private boolean registryAnswers() {
    try {
      HttpResponse<Void> r =
          http.send(
              HttpRequest.newBuilder(probe).timeout(Duration.ofSeconds(2)).GET().build(),
              HttpResponse.BodyHandlers.discarding());
      return r.statusCode() < 500;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryUnavailableException("interrupted while the registry was unreachable", e);
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryUnavailableException("interrupted while the registry was unreachable", e);
    }
  }

  @Override
  public void close() {
    inner.close();
  }

  /**
   * The registry did not answer for {@link #MAX_WAIT}: retry the record later, never skip it. Not a
   * {@link org.apache.kafka.common.errors.SerializationException}, which code catches to
   * dead-letter a record.
   */
  public static final class RegistryUnavailableException extends RuntimeException {
    public RegistryUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }

    /** Whether {@code e} or one of its causes is this exception (Kafka Streams wraps it). */
    public static boolean causedBy(Throwable e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof RegistryUnavailableException) {
          return true;
        }
      }
      return false;
    }
  }
}
