package io.rtx.common;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.DiskSpaceMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rtx.schemas.PatientDeserializer;
import io.rtx.schemas.SchemaCatalog;
import io.rtx.schemas.TopicCatalog;
import io.rtx.schemas.Topics;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle every Streams app shares: apply the topic catalog, start the topology, serve {@code
 * /health}, {@code /metrics} (Prometheus) and the app's own routes, and close cleanly on SIGTERM.
 * {@code main} methods stay a few lines: settings in, topology built, {@link #run}.
 *
 * <p>The app's routes read state stores, so each answers 503 with the reason while the app is not
 * RUNNING or REBALANCING, and while a store moves ({@link StreamsHealth#whenServing}).
 */
public final class StreamsApp implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StreamsApp.class);

  private final KafkaStreams streams;
  private final HttpEndpoint http;
  private final PrometheusMeterRegistry metrics;
  private final KafkaStreamsMetrics streamsMetrics;

  /**
   * The serializers register nothing, so an app that applies the catalog registers its schemas too.
   * A registry that is down is no reason not to start: the schemas of a stack that ran before are
   * there already, and reading waits for the registry (see {@code PatientDeserializer}). The ids
   * registered warm the app's deserializers, so its first records wait for no registry call.
   */
  private static void registerSchemas(String registryUrl) {
    try {
      PatientDeserializer.warmAll(
          SchemaCatalog.registerAll(registryUrl, line -> log.info("{}", line)));
    } catch (IllegalStateException e) {
      log.warn("schemas not registered, the registry may be down: {}", e.getMessage());
    }
  }

  private StreamsApp(
      Settings settings,
      Topology topology,
      Function<KafkaStreams, HttpEndpoint.Routes> appRoutes,
      MeterBinder appMetrics)
      throws Exception {
    Properties props = settings.withPrefix("kafka.");
    BoundedRocksDb.configure(settings, props);
    if (Boolean.parseBoolean(settings.get("topics.apply", "true"))) {
      try (Admin admin = Admin.create(settings.withPrefix("kafka."))) {
        TopicCatalog.apply(admin, Topics.ALL, (short) settings.getInt("topics.replication.factor"));
      }
      registerSchemas(settings.get("registry.url"));
    }
    String app = props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
    // Static membership: an instance that crashed and starts again takes its partitions back at
    // once, instead of the group waiting out the dead member's session. One id per instance: its
    // host and HTTP port, unless kafka.group.instance.id says otherwise.
    props.putIfAbsent(
        ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
        app + "-" + InetAddress.getLocalHost().getHostName() + "-" + settings.get("http.port"));
    log.info("{} settings: {}", app, ConfigMask.mask(new TreeMap<>(settings.asMap())));
    streams = new KafkaStreams(topology, props);
    // every state change, rebalances included (RUNNING -> REBALANCING -> RUNNING)
    streams.setStateListener(
        (next, previous) -> log.info("{} state {} -> {}", app, previous, next));
    // A failed stream thread is replaced, unless threads keep failing: then the app stops,
    // unhealthy.
    ThreadFailures failures = new ThreadFailures();
    streams.setUncaughtExceptionHandler(failures);
    metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Metrics.addRegistry(metrics); // counters kept in the global registry, e.g. dead letters
    streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(metrics);
    new JvmMemoryMetrics().bindTo(metrics);
    // Free space where the state stores live (the stack's home): the disk alert reads it.
    new DiskSpaceMetrics(
            new File(new StreamsConfig(props).getString(StreamsConfig.STATE_DIR_CONFIG)))
        .bindTo(metrics);
    appMetrics.bindTo(metrics);

    HttpEndpoint.Routes routes =
        appRoutes
            .apply(streams)
            .map(handler -> StreamsHealth.whenServing(streams::state, handler))
            .mapRoutes(new RequestTimer(metrics))
            .get(
                "/health",
                request ->
                    StreamsHealth.health(
                        streams.state(), failures.cause().or(PatientDeserializer::outage)))
            .get(
                "/metrics",
                request -> Response.of(200, Response.PROMETHEUS_TEXT, metrics.scrape()));
    try {
      http = HttpEndpoint.start(settings.get("http.host"), settings.getInt("http.port"), routes);
    } catch (IOException e) {
      // Port taken: nothing started yet, so release the clients before failing.
      streamsMetrics.close();
      metrics.close();
      streams.close(Duration.ZERO);
      throw new IOException(
          "cannot serve HTTP on " + settings.get("http.host") + ":" + settings.get("http.port"), e);
    }
    streams.start();
    log.info("{} started; http on {}:{}", app, settings.get("http.host"), http.port());
  }

  /** Starts the app and blocks until the JVM is asked to stop (SIGTERM, Ctrl-C). */
  public static void run(
      Settings settings, Topology topology, Function<KafkaStreams, HttpEndpoint.Routes> routes)
      throws Exception {
    run(settings, topology, routes, registry -> {});
  }

  /** {@link #run}, with the app's own meters on {@code /metrics} too. */
  public static void run(
      Settings settings,
      Topology topology,
      Function<KafkaStreams, HttpEndpoint.Routes> routes,
      MeterBinder appMetrics)
      throws Exception {
    StreamsApp app = new StreamsApp(settings, topology, routes, appMetrics);
    awaitShutdown(app::close);
  }

  /** Blocks until the JVM is asked to stop, then runs {@code close} (a process's main thread). */
  public static void awaitShutdown(Runnable close) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  close.run();
                  stopped.countDown();
                },
                "rtx-shutdown"));
    stopped.await();
  }

  public static StreamsApp start(
      Settings settings, Topology topology, Function<KafkaStreams, HttpEndpoint.Routes> routes)
      throws Exception {
    return new StreamsApp(settings, topology, routes, registry -> {});
  }

  public KafkaStreams streams() {
    return streams;
  }

  public int httpPort() {
    return http.port();
  }

  /**
   * Stops serving, then closes the streams client leaving its group, so that the group rebalances
   * at once rather than after the session timeout: a restarted instance (a new member) gets its
   * partitions back within seconds instead of waiting out the old member.
   */
  @Override
  public void close() {
    http.close();
    streams.close(
        CloseOptions.groupMembershipOperation(GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(Duration.ofSeconds(30)));
    streamsMetrics.close();
    Metrics.removeRegistry(metrics);
    metrics.close();
  }
}
