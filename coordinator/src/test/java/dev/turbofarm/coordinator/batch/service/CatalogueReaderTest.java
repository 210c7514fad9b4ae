package dev.turbofarm.coordinator.batch.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.turbofarm.coordinator.error.InvalidInputProblem;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Line numbers and fields as the caller's editor shows them. */
class CatalogueReaderTest {
  private static List<CatalogueReader.Row> read(String body, CatalogueReader.Format f, int max) {
    return CatalogueReader.read(
        new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), f, max);
  }

  @Test
  void csvRowsKeepTheirPhysicalLineThroughBlankLinesAndQuotedNewlines() {
    List<CatalogueReader.Row> rows =
        read(
            "sku,prompt,color\nA,\"a red\nmug\",red\n\nB,a lamp,\nC,a, b,c\n",
            CatalogueReader.Format.CSV,
            10);
    assertThat(rows).extracting(CatalogueReader.Row::line).containsExactly(2, 5, 6);
    assertThat(rows.get(0).fields())
        .containsEntry("prompt", "a red\nmug")
        .containsEntry("sku", "A");
    assertThat(rows.get(1).fields()).isEqualTo(Map.of("sku", "B", "prompt", "a lamp"));
    assertThat(rows.get(2).problem()).contains("4 columns");
  }

  @Test
  void tooManyRowsIsTooLarge() {
    assertThatThrownBy(() -> read("sku\n1\n2\n3\n", CatalogueReader.Format.CSV, 2))
        .isInstanceOf(CatalogueTooLargeException.class);
  }

  @Test
  void emptyOrUnreadableBodiesAreA400() {
    assertThatThrownBy(() -> read("", CatalogueReader.Format.CSV, 2))
        .isInstanceOf(InvalidInputProblem.class);
    assertThatThrownBy(() -> read("sku\n", CatalogueReader.Format.CSV, 2))
        .isInstanceOf(InvalidInputProblem.class);
    assertThatThrownBy(() -> read("{\"sku\":1}", CatalogueReader.Format.JSON, 2))
        .isInstanceOf(InvalidInputProblem.class);
  }

  @Test
  void jsonLinesNumberLinesAndKeepBadOnesAsRowProblems() {
    List<CatalogueReader.Row> rows =
        read("{\"sku\":\"A\",\"count\":2}\n\n[1]\n{oops\n", CatalogueReader.Format.NDJSON, 10);
    assertThat(rows).extracting(CatalogueReader.Row::line).containsExactly(1, 3, 4);
    assertThat(rows.get(0).fields()).containsEntry("count", "2");
    assertThat(rows.get(1).problem()).contains("JSON object");
    assertThat(rows.get(2).problem()).contains("not valid JSON");
  }

  @Test
  void templateFillNamesTheMissingColumn() {
    List<RowError> errors = new ArrayList<>();
    assertThat(
            RowResolver.fill(
                "{color} {product}", Map.of("color", "red", "product", "mug"), 2, errors))
        .isEqualTo("red mug");
    assertThat(RowResolver.fill("{color} {product}", Map.of("color", "red"), 7, errors)).isNull();
    assertThat(errors)
        .containsExactly(
            new RowError(7, "product", "is empty or missing, and the prompt template needs it"));
  }
}
