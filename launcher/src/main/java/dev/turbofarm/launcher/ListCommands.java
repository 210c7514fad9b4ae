package dev.turbofarm.launcher;

import static dev.turbofarm.launcher.BatchCommands.EXIT_OK;
import static dev.turbofarm.launcher.BatchCommands.query;
import static dev.turbofarm.launcher.BatchCommands.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turbofarm.launcher.BatchCommands.Target;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code farm jobs} and {@code farm batches}: a page of the caller's jobs or batches, newest first,
 * as an aligned table, with the command line for the next page.
 */
final class ListCommands {
  private ListCommands() {}

  /** The options both lists take, sent as the API's query parameters. */
  static final class ListOptions {
    @Option(
        names = "--team",
        description =
            "a team you may read, or 'all' (admins); default: your own (analysts: theirs)")
    String team;

    @Option(names = "--state", description = "only these states, comma-separated")
    String state;

    @Option(names = "--from", description = "created on or after (2026-11-29 or an ISO instant)")
    String from;

    @Option(names = "--to", description = "created before (a date keeps that day)")
    String to;

    @Option(
        names = "--limit",
        defaultValue = "20",
        description = "rows per page, 1..200 (default ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--after", description = "the cursor a previous page printed")
    String after;

    Map<String, String> params() {
      Map<String, String> q = new LinkedHashMap<>();
      q.put("team", team);
      q.put("state", state);
      q.put("from", from);
      q.put("to", to);
      q.put("limit", Integer.toString(limit));
      q.put("after", after);
      return q;
    }
  }

  @Command(
      name = "jobs",
      mixinStandardHelpOptions = true,
      description = "List jobs, newest first (your team's unless --team).")
  static final class Jobs implements Callable<Integer> {
    @Mixin Target target;
    @Mixin ListOptions list;

    @Option(names = "--batch", description = "only this batch's jobs")
    String batch;

    @Override
    public Integer call() throws Exception {
      return run(
          () -> {
            Map<String, String> q = list.params();
            q.put("batch", batch);
            JsonNode page = SeedCommands.get(target, "/api/v1/jobs?" + query(q));
            printJobs(page, System.out);
            printNext(page, "jobs", System.out);
            return EXIT_OK;
          });
    }
  }

  @Command(
      name = "batches",
      mixinStandardHelpOptions = true,
      description = "List batches, newest first (your team's unless --team).")
  static final class Batches implements Callable<Integer> {
    @Mixin Target target;
    @Mixin ListOptions list;

    @Override
    public Integer call() throws Exception {
      return run(
          () -> {
            JsonNode page = SeedCommands.get(target, "/api/v1/batches?" + query(list.params()));
            printBatches(page, System.out);
            printNext(page, "batches", System.out);
            return EXIT_OK;
          });
    }
  }

  static void printJobs(JsonNode page, PrintStream out) {
    TextTable t =
        new TextTable(
            List.of("id", "state", "team", "size", "steps", "count", "created", "prompt"));
    for (JsonNode j : page.path("items")) {
      t.add(
          List.of(
              j.path("id").asText(),
              j.path("state").asText(),
              j.path("team").asText(),
              j.path("width").asText() + "x" + j.path("height").asText(),
              j.path("steps").asText(),
              j.path("count").asText(),
              j.path("createdAt").asText(),
              shorten(j.path("prompt").asText(), 40)));
    }
    print(t, "no jobs", out);
  }

  static void printBatches(JsonNode page, PrintStream out) {
    TextTable t =
        new TextTable(
            List.of("id", "state", "team", "name", "jobs", "images", "rejected", "created"));
    for (JsonNode b : page.path("items")) {
      t.add(
          List.of(
              b.path("id").asText(),
              b.path("state").asText(),
              b.path("team").asText(),
              b.hasNonNull("name") ? shorten(b.get("name").asText(), 30) : "-",
              b.path("jobCount").asText(),
              b.path("imageCount").asText(),
              b.path("rejectedCount").asText(),
              b.path("createdAt").asText()));
    }
    print(t, "no batches", out);
  }

  private static void print(TextTable t, String none, PrintStream out) {
    if (t.isEmpty()) {
      out.println(none);
    } else {
      t.print(out);
    }
  }

  private static void printNext(JsonNode page, String command, PrintStream out) {
    if (page.hasNonNull("next")) {
      out.println("more: farm " + command + " --after " + page.get("next").asText());
    }
  }

  private static String shorten(String s, int max) {
    String one = s.replaceAll("\\s+", " ");
    return one.length() <= max ? one : one.substring(0, max - 1) + "…";
  }
}
