package dev.turbofarm.launcher;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table with aligned columns: text left, numbers right. */
final class TextTable {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  TextTable(List<String> header) {
    this.header = List.copyOf(header);
  }

  void add(List<String> row) {
    rows.add(List.copyOf(row));
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  void print(PrintStream out) {
    int[] width = new int[header.size()];
    boolean[] numeric = new boolean[header.size()];
    for (int c = 0; c < header.size(); c++) {
      width[c] = header.get(c).length();
      numeric[c] = !rows.isEmpty();
    }
    for (List<String> r : rows) {
      for (int c = 0; c < header.size(); c++) {
        String v = r.get(c);
        width[c] = Math.max(width[c], v.length());
        if (!v.isEmpty() && !v.equals("-") && !v.matches("-?[0-9][0-9,.]*%?")) {
          numeric[c] = false;
        }
      }
    }
    out.println(line(header, width, numeric));
    StringBuilder rule = new StringBuilder();
    for (int c = 0; c < width.length; c++) {
      rule.append(c == 0 ? "" : "  ").append("-".repeat(width[c]));
    }
    out.println(rule);
    for (List<String> r : rows) {
      out.println(line(r, width, numeric));
    }
  }

  private static String line(List<String> cells, int[] width, boolean[] numeric) {
    StringBuilder sb = new StringBuilder();
    for (int c = 0; c < cells.size(); c++) {
      if (c > 0) {
        sb.append("  ");
      }
      String v = cells.get(c);
      String pad = " ".repeat(width[c] - v.length());
      sb.append(numeric[c] ? pad + v : v + (c == cells.size() - 1 ? "" : pad));
    }
    return sb.toString();
  }
}
