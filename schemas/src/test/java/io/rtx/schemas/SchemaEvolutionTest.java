package io.rtx.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityResult;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;

/**
 * Every schema in src/main/avro reads data written by every released version of it (BACKWARD, as
 * the registry enforces), checked against the released copies in src/compat: the registry would
 * only refuse an incompatible edit once it is deployed.
 */
class SchemaEvolutionTest {

  private static final Path CURRENT = Path.of("src", "main", "avro");
  private static final Path RELEASED = Path.of("src", "compat");

  /** Named types other schemas refer to, parsed first (the avro-maven-plugin's imports). */
  private static final Set<String> IMPORTS = Set.of("Side.avsc");

  private static final String TICK = "io.rtx.schemas.Tick";

  @Test
  void everyCurrentSchemaReadsEveryReleasedVersionOfIt() throws IOException {
    SortedMap<Integer, Map<String, Schema>> released = released();
    assertThat(released).as("released schemas in " + RELEASED).isNotEmpty();
    assertThat(released.get(released.firstKey())).containsKey(TICK);

    assertNoProblems(problems(load(CURRENT), released));
  }

  @Test
  void aFieldAddedWithoutADefaultIsCaught() throws IOException {
    Map<String, Schema> current =
        withTick(
            fields -> {
              fields.add(new Schema.Field("book_depth", Schema.create(Schema.Type.INT)));
              return fields;
            });

    assertThat(problems(current, released()))
        .anySatisfy(
            p -> assertThat(p).contains(TICK, "READER_FIELD_MISSING_DEFAULT_VALUE", "book_depth"));
  }

  @Test
  void aFieldWhoseTypeChangedIsCaught() throws IOException {
    Map<String, Schema> current =
        withTick(
            fields ->
                fields.stream()
                    .map(
                        f ->
                            f.name().equals("seq")
                                ? new Schema.Field(f, Schema.create(Schema.Type.STRING))
                                : f)
                    .toList());

    assertThat(problems(current, released()))
        .anySatisfy(p -> assertThat(p).contains(TICK, "TYPE_MISMATCH", "STRING", "LONG"));
  }

  @Test
  void anOptionalFieldWithADefaultIsACompatibleChange() throws IOException {
    Schema optionalInt =
        Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.INT));
    Map<String, Schema> current =
        withTick(
            fields -> {
              fields.add(
                  new Schema.Field(
                      "book_depth", optionalInt, null, Schema.Field.NULL_DEFAULT_VALUE));
              return fields;
            });

    assertNoProblems(problems(current, released()));
  }

  @Test
  void aRemovedSchemaIsCaught() throws IOException {
    Map<String, Schema> current = latestReleased();
    current.remove(TICK);

    assertThat(problems(current, released()))
        .anySatisfy(p -> assertThat(p).contains(TICK, "was released in v1", "is gone"));
  }

  @Test
  void aSchemaWithoutAReleasedVersionIsCaught() throws IOException {
    Map<String, Schema> current = latestReleased();
    Schema quote =
        Schema.createRecord(
            "Quote",
            null,
            "io.rtx.schemas",
            false,
            List.of(new Schema.Field("symbol", Schema.create(Schema.Type.STRING))));
    current.put(quote.getFullName(), quote);

    assertThat(problems(current, released()))
        .anySatisfy(p -> assertThat(p).contains("io.rtx.schemas.Quote", "no released version"));
  }

  // ----------------------------------------------------------------------------------------------

  /**
   * What stops the current schemas from replacing the released ones: an incompatibility with any
   * released version, a released schema that is gone, a current one never released.
   */
  private static List<String> problems(
      Map<String, Schema> current, SortedMap<Integer, Map<String, Schema>> released) {
    List<String> problems = new ArrayList<>();
    Set<String> everReleased = new TreeSet<>();
    for (var version : released.entrySet()) {
      for (var old : version.getValue().entrySet()) {
        String name = old.getKey();
        everReleased.add(name);
        Schema reader = current.get(name);
        if (reader == null) {
          problems.add(name + " was released in v" + version.getKey() + " and is gone");
          continue;
        }
        SchemaCompatibilityResult result =
            SchemaCompatibility.checkReaderWriterCompatibility(reader, old.getValue()).getResult();
        if (result.getCompatibility() != SchemaCompatibilityType.COMPATIBLE) {
          for (var i : result.getIncompatibilities()) {
            problems.add(
                String.format(
                    "%s cannot read data written with v%d: %s at %s: %s",
                    name, version.getKey(), i.getType(), i.getLocation(), i.getMessage()));
          }
        }
      }
    }
    for (String name : current.keySet()) {
      if (!everReleased.contains(name)) {
        problems.add(name + " has no released version: release it into " + RELEASED);
      }
    }
    return problems;
  }

  /** Every released version, by number: the folders v1, v2, ... of src/compat. */
  private static SortedMap<Integer, Map<String, Schema>> released() throws IOException {
    SortedMap<Integer, Map<String, Schema>> versions = new TreeMap<>();
    try (Stream<Path> dirs = Files.list(RELEASED)) {
      for (Path dir : dirs.filter(Files::isDirectory).toList()) {
        String name = dir.getFileName().toString();
        if (!name.matches("v[1-9][0-9]*")) {
          throw new IllegalStateException(dir + ": a released version's folder is named vN");
        }
        versions.put(Integer.parseInt(name.substring(1)), load(dir));
      }
    }
    return versions;
  }

  /** The schemas of one folder by full name, parsed in one parser as the build parses them. */
  private static Map<String, Schema> load(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> listed = Files.list(dir)) {
      files =
          listed
              .filter(p -> p.getFileName().toString().endsWith(".avsc"))
              .sorted(
                  Comparator.comparing((Path p) -> !IMPORTS.contains(p.getFileName().toString()))
                      .thenComparing(Comparator.naturalOrder()))
              .toList();
    }
    Schema.Parser parser = new Schema.Parser();
    Map<String, Schema> schemas = new TreeMap<>();
    for (Path file : files) {
      Schema schema = parser.parse(file.toFile());
      schemas.put(schema.getFullName(), schema);
    }
    return schemas;
  }

  /**
   * The latest released schemas with Tick's fields changed: a base that ongoing edits of
   * src/main/avro do not move.
   */
  private static Map<String, Schema> withTick(UnaryOperator<List<Schema.Field>> change)
      throws IOException {
    Map<String, Schema> current = latestReleased();
    Schema tick = current.get(TICK);
    // A field belongs to one record: copy them before building the changed one.
    List<Schema.Field> fields = new ArrayList<>();
    tick.getFields().forEach(f -> fields.add(new Schema.Field(f, f.schema())));
    current.put(
        TICK,
        Schema.createRecord(
            tick.getName(), tick.getDoc(), tick.getNamespace(), false, change.apply(fields)));
    return current;
  }

  private static Map<String, Schema> latestReleased() throws IOException {
    SortedMap<Integer, Map<String, Schema>> released = released();
    return new TreeMap<>(released.get(released.lastKey()));
  }

  private static void assertNoProblems(List<String> problems) {
    assertThat(problems)
        .withFailMessage(
            "schemas incompatible with their released versions:%n%s", String.join("\n", problems))
        .isEmpty();
  }
}
