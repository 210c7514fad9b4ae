package dev.turbofarm.coordinator.batch.service;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.turbofarm.coordinator.error.InvalidInputProblem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a catalogue into rows of named text fields, keeping each row's line number. Syntax that
 * makes the rest of the file unreadable (a broken CSV quote, a JSON array that does not close) is a
 * 400 for the whole body; a row that is readable but wrong is left to the row rules.
 */
public final class CatalogueReader {
  private static final CsvMapper CSV = new CsvMapper();

  /** Rows keep their extra columns (templates read them); a key twice in one row is an error. */
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

  /** Accepted body formats. */
  public enum Format {
    CSV,
    NDJSON,
    JSON;

    /** The format of a media type, or null when it is none of ours. */
    public static Format of(String mediaType) {
      if (mediaType == null) {
        return null;
      }
      String t = mediaType.toLowerCase(Locale.ROOT);
      if (t.startsWith("text/csv")) {
        return CSV;
      }
      if (t.startsWith("application/x-ndjson") || t.startsWith("application/jsonl")) {
        return NDJSON;
      }
      if (t.startsWith("application/json")) {
        return JSON;
      }
      return null;
    }

    /** Guesses the format of an uploaded file from its name; CSV unless it says otherwise. */
    public static Format ofFileName(String name) {
      String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
      if (n.endsWith(".jsonl") || n.endsWith(".ndjson")) {
        return NDJSON;
      }
      if (n.endsWith(".json")) {
        return JSON;
      }
      return CSV;
    }
  }

  /**
   * One catalogue row.
   *
   * @param line the row's line in the file (CSV, JSON Lines: physical line, header is line 1 of a
   *     CSV; JSON array: the element's 1-based position)
   * @param fields column name to non-empty text value
   * @param problem why the row could not be read at all, or null
   */
  public record Row(int line, Map<String, String> fields, String problem) {}

  private CatalogueReader() {}

  /**
   * Reads all rows.
   *
   * @param maxRows most data rows allowed
   * @throws CatalogueTooLargeException past {@code maxRows}
   * @throws InvalidInputProblem when the body cannot be read as the format at all
   */
  public static List<Row> read(InputStream body, Format format, int maxRows) {
    // Strict UTF-8: a byte sequence that is not UTF-8 is a 400, never a silent U+FFFD.
    Reader reader =
        new BufferedReader(
            new InputStreamReader(
                body,
                StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)),
            1 << 16);
    try {
      List<Row> rows =
          switch (format) {
            case CSV -> csv(reader, maxRows);
            case NDJSON -> ndjson(reader, maxRows);
            case JSON -> jsonArray(reader, maxRows);
          };
      if (rows.isEmpty()) {
        throw bad("the catalogue has no rows");
      }
      return rows;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw bad(
          "is not valid "
              + format
              + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
              + ": "
              + e.getOriginalMessage());
    } catch (CharacterCodingException e) {
      throw bad("is not valid UTF-8 text; save the catalogue as UTF-8 and send it again");
    } catch (IOException e) {
      throw bad("could not be read: " + e.getMessage());
    }
  }

  private static List<Row> csv(Reader reader, int maxRows) throws IOException {
    List<Row> rows = new ArrayList<>();
    try (JsonParser p = CSV.getFactory().createParser(reader)) {
      ((CsvParser) p).enable(CsvParser.Feature.WRAP_AS_ARRAY);
      ((CsvParser) p).enable(CsvParser.Feature.TRIM_SPACES);
      String[] header = null;
      // WRAP_AS_ARRAY: the file is one outer array, each record an inner one.
      if (p.nextToken() != JsonToken.START_ARRAY) {
        throw bad("the catalogue has no rows");
      }
      while (p.nextToken() == JsonToken.START_ARRAY) {
        // A record's own START_ARRAY reports the previous line; its first value, its real one.
        int line = -1;
        List<String> values = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          if (line < 0) {
            line = (int) p.currentTokenLocation().getLineNr();
          }
          values.add(p.getText());
        }
        if (values.size() == 1 && values.get(0).isEmpty()) {
          continue; // a blank line
        }
        if (header == null) {
          header = new String[values.size()];
          for (int i = 0; i < header.length; i++) {
            header[i] = values.get(i).trim();
          }
          // A spreadsheet's UTF-8 export starts with a byte-order mark: not part of the name.
          if (header.length > 0 && header[0].startsWith("\uFEFF")) {
            header[0] = header[0].substring(1).trim();
          }
          continue;
        }
        if (rows.size() >= maxRows) {
          throw new CatalogueTooLargeException(maxRows);
        }
        if (values.size() > header.length) {
          rows.add(
              new Row(
                  line,
                  Map.of(),
                  "has " + values.size() + " columns; the header has " + header.length));
          continue;
        }
        Map<String, String> fields = new HashMap<>();
        for (int i = 0; i < values.size(); i++) {
          String v = values.get(i);
          if (!v.isEmpty()) {
            fields.put(header[i], v);
          }
        }
        rows.add(new Row(line, fields, null));
      }
      if (header == null) {
        throw bad("the CSV has no header row (sku, prompt, ...)");
      }
    }
    return rows;
  }

  private static List<Row> ndjson(Reader reader, int maxRows) throws IOException {
    List<Row> rows = new ArrayList<>();
    BufferedReader lines = (BufferedReader) reader;
    String text;
    int line = 0;
    while ((text = lines.readLine()) != null) {
      line++;
      if (text.isBlank()) {
        continue;
      }
      if (rows.size() >= maxRows) {
        throw new CatalogueTooLargeException(maxRows);
      }
      JsonNode node;
      try {
        node = JSON.readTree(text);
      } catch (JsonProcessingException e) {
        rows.add(new Row(line, Map.of(), "is not valid JSON: " + e.getOriginalMessage()));
        continue;
      }
      rows.add(toRow(line, node));
    }
    return rows;
  }

  private static List<Row> jsonArray(Reader reader, int maxRows) throws IOException {
    List<Row> rows = new ArrayList<>();
    try (JsonParser p = JSON.getFactory().createParser(reader)) {
      if (p.nextToken() != JsonToken.START_ARRAY) {
        throw bad("a JSON body must be an array of row objects");
      }
      int position = 0;
      while (p.nextToken() != JsonToken.END_ARRAY) {
        position++;
        if (rows.size() >= maxRows) {
          throw new CatalogueTooLargeException(maxRows);
        }
        rows.add(toRow(position, p.readValueAsTree()));
      }
    }
    return rows;
  }

  private static Row toRow(int line, JsonNode node) {
    if (node == null || !node.isObject()) {
      return new Row(line, Map.of(), "must be a JSON object");
    }
    Map<String, String> fields = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      if (v.isNull()) {
        continue;
      }
      String text = v.isValueNode() ? v.asText() : v.toString();
      if (!text.isEmpty()) {
        fields.put(e.getKey(), text);
      }
    }
    return new Row(line, fields, null);
  }

  private static InvalidInputProblem bad(String problem) {
    return InvalidInputProblem.of("body", problem);
  }
}
