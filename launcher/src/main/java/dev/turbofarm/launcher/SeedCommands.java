package dev.turbofarm.launcher;

import static dev.turbofarm.launcher.BatchCommands.EXIT_OK;
import static dev.turbofarm.launcher.BatchCommands.EXIT_USAGE;
import static dev.turbofarm.launcher.BatchCommands.expect;
import static dev.turbofarm.launcher.BatchCommands.query;
import static dev.turbofarm.launcher.BatchCommands.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turbofarm.launcher.BatchCommands.CliException;
import dev.turbofarm.launcher.BatchCommands.Target;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Seed reuse, review and the analysts' history from the terminal, against a running coordinator:
 * {@code variants}, {@code refine}, {@code review}, {@code history}, {@code seeds} and {@code
 * pool}. Exit 0 on success, 1 on a failure, 2 on bad usage or an answer of 400.
 */
final class SeedCommands {
  private SeedCommands() {}

  static ObjectNode object() {
    return FarmClient.json().createObjectNode();
  }

  static JsonNode post(Target t, String path, JsonNode body, int status) {
    HttpResponse<String> r =
        t.send(
            HttpRequest.newBuilder(t.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    return expect(r, status, "POST " + path);
  }

  static JsonNode put(Target t, String path, JsonNode body) {
    HttpResponse<String> r =
        t.send(
            HttpRequest.newBuilder(t.resolve(path))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body.toString())));
    return expect(r, 200, "PUT " + path);
  }

  static JsonNode get(Target t, String path) {
    return expect(t.send(HttpRequest.newBuilder(t.resolve(path)).GET()), 200, "GET " + path);
  }

  /** "42,123, 888" as numbers; a bad one is a usage error naming it. */
  static List<Long> numbers(String list, String option) {
    List<Long> out = new ArrayList<>();
    for (String s : list.split(",")) {
      if (s.isBlank()) {
        continue;
      }
      try {
        out.add(Long.parseLong(s.trim()));
      } catch (NumberFormatException e) {
        throw new CliException(EXIT_USAGE, option + ": '" + s.trim() + "' is not a whole number");
      }
    }
    return out;
  }

  /** A steps value: digits are a count, anything else a step profile's name. */
  static void putSteps(ObjectNode body, String steps) {
    if (steps == null) {
      return;
    }
    if (steps.trim().matches("\\d+")) {
      body.put("steps", Integer.parseInt(steps.trim()));
    } else {
      body.put("steps", steps.trim());
    }
  }

  /** The new job's id, seeds and settings. */
  static void printJob(JsonNode job, PrintStream out) {
    List<String> seeds = new ArrayList<>();
    job.path("seeds").forEach(s -> seeds.add(s.asText()));
    out.printf(
        "job %s (%s of %s/%d, model %s): %d image(s) %dx%d, %d steps%s, seeds %s%n",
        job.path("id").asText(),
        job.path("derivation").asText("new"),
        job.path("parent").path("jobId").asText("-"),
        job.path("parent").path("index").asInt(),
        job.path("model").asText(),
        job.path("count").asInt(),
        job.path("width").asInt(),
        job.path("height").asInt(),
        job.path("steps").asInt(),
        job.hasNonNull("stepProfile") ? " (" + job.get("stepProfile").asText() + ")" : "",
        String.join(", ", seeds));
  }

  /** Waits for the job and prints each image's seed, quality and path. */
  static int awaitAndPrint(Target t, String id, PrintStream out) throws InterruptedException {
    JsonNode j;
    while (true) {
      j = get(t, "/api/v1/jobs/" + id);
      if (FarmClient.TERMINAL.contains(j.path("state").asText())) {
        break;
      }
      Thread.sleep(500);
    }
    TextTable table = new TextTable(List.of("index", "seed", "offset", "quality", "path"));
    for (JsonNode i : j.path("images")) {
      table.add(
          List.of(
              i.path("index").asText(),
              i.path("seed").asText(),
              i.hasNonNull("seedOffset") ? i.get("seedOffset").asText() : "-",
              i.hasNonNull("quality") ? fmt(i.get("quality").asDouble(), 3) : "-",
              i.path("path").asText()));
    }
    out.println("job " + id + " " + j.path("state").asText());
    table.print(out);
    return "SUCCEEDED".equals(j.path("state").asText()) ? EXIT_OK : BatchCommands.EXIT_FAILED;
  }

  static String fmt(double v, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  @Command(
      name = "variants",
      mixinStandardHelpOptions = true,
      description =
          "Render variants of an image: its seed plus each offset of a pool (the team's by default).")
  static final class Variants implements Callable<Integer> {
    @Mixin Target target;

    @Parameters(index = "0", description = "the parent image's job id")
    String job;

    @Parameters(index = "1", description = "the parent image's index in that job")
    int index;

    @Option(names = "--pool", description = "offsets, comma-separated (default: the team's pool)")
    String pool;

    @Option(names = "--prompt", description = "a new prompt (default: the parent's)")
    String prompt;

    @Option(names = "--profile", description = "another size profile (default: the parent's size)")
    String profile;

    @Option(names = "--steps", description = "a number or a step profile (default: the parent's)")
    String steps;

    @Option(names = "--wait", description = "wait for the images and list them")
    boolean await;

    @Override
    public Integer call() throws Exception {
      return run(
          () -> {
            ObjectNode body = object();
            if (pool != null) {
              ArrayNode a = body.putArray("pool");
              numbers(pool, "--pool").forEach(a::add);
            }
            if (prompt != null) {
              body.put("prompt", prompt);
            }
            if (profile != null) {
              body.put("profile", profile);
            }
            putSteps(body, steps);
            JsonNode j =
                post(target, "/api/v1/images/" + job + "/" + index + "/variants", body, 202);
            printJob(j, System.out);
            return await ? awaitAndPrint(target, j.path("id").asText(), System.out) : EXIT_OK;
          });
    }
  }

  @Command(
      name = "refine",
      mixinStandardHelpOptions = true,
      description = "Render an image again at its seed, prompt and size with more steps.")
  static final class Refine implements Callable<Integer> {
    @Mixin Target target;

    @Parameters(index = "0", description = "the image's job id")
    String job;

    @Parameters(index = "1", description = "the image's index in that job")
    int index;

    @Option(
        names = "--steps",
        defaultValue = "final",
        description = "a number or a step profile (default ${DEFAULT-VALUE})")
    String steps;

    @Option(names = "--guidance", description = "a new guidance scale (default: the parent's)")
    Double guidance;

    @Option(names = "--wait", description = "wait for the image and show it")
    boolean await;

    @Override
    public Integer call() throws Exception {
      return run(
          () -> {
            ObjectNode body = object();
            putSteps(body, steps);
            if (guidance != null) {
              body.put("guidance", guidance);
            }
            JsonNode j = post(target, "/api/v1/images/" + job + "/" + index + "/refine", body, 202);
            printJob(j, System.out);
            return await ? awaitAndPrint(target, j.path("id").asText(), System.out) : EXIT_OK;
          });
    }
  }

  @Command(
      name = "review",
      mixinStandardHelpOptions = true,
      description = "Approve or reject an image (or clear its verdict), with a rating and a note.")
  static final class Review implements Callable<Integer> {
    @Mixin Target target;

    @Parameters(index = "0", description = "the image's job id")
    String job;

    @Parameters(index = "1", description = "the image's index in that job")
    int index;

    @Parameters(index = "2", description = "approve, reject or clear")
    String verdict;

    @Option(names = "--rating", description = "1..5")
    Integer rating;

    @Option(names = "--note", description = "a note for the next reviewer")
    String note;

    @Override
    public Integer call() throws Exception {
      return run(
          () -> {
            ObjectNode body = object();
            switch (verdict.toLowerCase(Locale.ROOT)) {
              case "approve", "approved" -> body.put("verdict", "approved");
              case "reject", "rejected" -> body.put("verdict", "rejected");
              case "clear", "none" -> body.putNull("verdict");
              default ->
                  throw new CliException(
                      EXIT_USAGE, "verdict '" + verdict + "': give approve, reject or clear");
            }
            if (rating != null) {
              body.put("rating", rating);
            }
            if (note != null) {
              body.put("note", note);
            }
            JsonNode r = put(target, "/api/v1/images/" + job + "/" + index + "/review", body);
            System.out.printf(
                "image %s/%d: %s%s by %s at %s%n",
                job,
                index,
                r.path("verdict").asText("no verdict"),
                r.hasNonNull("rating") ? ", rating " + r.get("rating").asInt() : "",
                r.path("reviewer").asText(),
                r.path("reviewedAt").asText());
            return EXIT_OK;
          });
    }
  }

  /** Filters history and seeds share. */
  static final class Filters {
    @Option(names = "--team", description = "one team")
    String team;

    @Option(names = "--model", description = "one model id")
    String model;

    @Option(names = "--profile", description = "one size profile")
    String profile;

    @Option(names = "--step-profile", description = "one step profile")
    String stepProfile;

    @Option(
        names = "--since",
        defaultValue = "30d",
        description = "a window back from today: 7d, 30d (default ${DEFAULT-VALUE})")
    String since;

    Map<String, String> params() {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("team", team);
      m.put("model", model);
      m.put("profile", profile);
      m.put("stepProfile", stepProfile);
      m.put("since", since);
      return m;
    }
  }

  @Command(
      name = "history",
      mixinStandardHelpOptions = true,
      description =
          "Summarise the image history per group: count, quality, approval rate, render times.")
  static final class History implements Callable<Integer> {
    @Mixin Target target;
    @Mixin Filters filters;

    @Option(
        names = "--group-by",
        defaultValue = "profile,steps",
        description =
            "dimensions: team, profile, stepProfile, steps, model, size, width, height, guidance, day, verdict, derivation, batch (default ${DEFAULT-VALUE})")
    String groupBy;

    @Option(names = "--prompt", description = "only prompts containing this text")
    String prompt;

    @Override
    public Integer call() throws Exception {
      return run(
          () -> {
            Map<String, String> q = filters.params();
            q.put("groupBy", groupBy);
            q.put("prompt", prompt);
            JsonNode s = get(target, "/api/v1/analytics/summary?" + query(q));
            printSummary(s, System.out);
            return EXIT_OK;
          });
    }
  }

  /** The summary as an aligned table, one line per group. */
  static void printSummary(JsonNode s, PrintStream out) {
    List<String> dims = new ArrayList<>();
    s.path("groupBy").forEach(d -> dims.add(d.asText()));
    List<String> header = new ArrayList<>(dims);
    header.addAll(
        List.of(
            "images",
            "mean q",
            "p50 q",
            "approved",
            "rejected",
            "approval",
            "p50 ms",
            "p95 ms",
            "wait ms"));
    TextTable table = new TextTable(header);
    for (JsonNode g : s.path("groups")) {
      List<String> row = new ArrayList<>();
      for (String d : dims) {
        JsonNode v = g.path("key").path(d);
        row.add(v.isNull() || v.isMissingNode() ? "-" : v.asText());
      }
      row.add(g.path("images").asText());
      row.add(num(g, "meanQuality", 3));
      row.add(num(g, "p50Quality", 3));
      row.add(g.path("approved").asText());
      row.add(g.path("rejected").asText());
      row.add(
          g.hasNonNull("approvalRate")
              ? fmt(100 * g.get("approvalRate").asDouble(), 1) + "%"
              : "-");
      row.add(num(g, "p50RenderMs", 0));
      row.add(num(g, "p95RenderMs", 0));
      row.add(num(g, "meanQueueWaitMs", 0));
      table.add(row);
    }
    out.printf(
        "%s .. %s (UTC days; %d from daily rollups, %d from image rows)%n",
        s.path("from").asText(),
        s.path("to").asText(),
        s.path("rolledDays").asInt(),
        s.path("rowDays").asInt());
    if (table.isEmpty()) {
      out.println("no images");
    } else {
      table.print(out);
    }
  }

  static String num(JsonNode g, String field, int decimals) {
    return g.hasNonNull(field) ? fmt(g.get(field).asDouble(), decimals) : "-";
  }

  @Command(
      name = "seeds",
      mixinStandardHelpOptions = true,
      description =
          "Rank seeds and pool offsets by approval rate, then mean quality, for a prompt and profile.")
  static final class SeedsCommand implements Callable<Integer> {
    @Mixin Target target;
    @Mixin Filters filters;

    @Option(names = "--prompt", description = "prompts containing this text (any language)")
    String prompt;

    @Option(
        names = "--limit",
        defaultValue = "10",
        description = "rows per table (default ${DEFAULT-VALUE})")
    int limit;

    @Option(
        names = "--min-images",
        defaultValue = "1",
        description = "least images per seed (default ${DEFAULT-VALUE})")
    int minImages;

    @Override
    public Integer call() throws Exception {
      return run(
          () -> {
            Map<String, String> q = filters.params();
            q.put("prompt", prompt);
            q.put("limit", Integer.toString(limit));
            q.put("minImages", Integer.toString(minImages));
            JsonNode r = get(target, "/api/v1/analytics/seeds?" + query(q));
            System.out.printf("%s .. %s%n", r.path("from").asText(), r.path("to").asText());
            System.out.println("seeds:");
            printRanking(r.path("seeds"), "seed", System.out);
            System.out.println("pool offsets (variants' seed minus their parent's):");
            printRanking(r.path("offsets"), "offset", System.out);
            return EXIT_OK;
          });
    }
  }

  static void printRanking(JsonNode rows, String what, PrintStream out) {
    TextTable t =
        new TextTable(List.of(what, "images", "approved", "rejected", "approval", "mean q"));
    for (Iterator<JsonNode> it = rows.elements(); it.hasNext(); ) {
      JsonNode r = it.next();
      t.add(
          List.of(
              r.path("value").asText(),
              r.path("images").asText(),
              r.path("approved").asText(),
              r.path("rejected").asText(),
              r.hasNonNull("approvalRate")
                  ? fmt(100 * r.get("approvalRate").asDouble(), 1) + "%"
                  : "-",
              num(r, "meanQuality", 3)));
    }
    if (t.isEmpty()) {
      out.println("  none");
    } else {
      t.print(out);
    }
  }

  @Command(
      name = "pool",
      mixinStandardHelpOptions = true,
      description = "A team's seed pool: the offsets variants add to their parent's seed.",
      subcommands = {PoolGet.class, PoolSet.class, PoolPromote.class})
  static final class Pool {}

  static void printPool(JsonNode p, PrintStream out) {
    List<String> offsets = new ArrayList<>();
    p.path("offsets").forEach(o -> offsets.add(o.asText()));
    out.printf(
        "team %s seed pool: %s%s%n",
        p.path("team").asText(),
        String.join(", ", offsets),
        p.path("isDefault").asBoolean()
            ? " (the default)"
            : " (set by "
                + p.path("updatedBy").asText()
                + " at "
                + p.path("updatedAt").asText()
                + ")");
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "Show a team's pool.")
  static final class PoolGet implements Callable<Integer> {
    @Mixin Target target;

    @Parameters(index = "0", description = "the team")
    String team;

    @Override
    public Integer call() throws Exception {
      return run(
          () -> {
            printPool(get(target, "/api/v1/teams/" + team + "/seed-pool"), System.out);
            return EXIT_OK;
          });
    }
  }

  @Command(name = "set", mixinStandardHelpOptions = true, description = "Replace a team's pool.")
  static final class PoolSet implements Callable<Integer> {
    @Mixin Target target;

    @Parameters(index = "0", description = "the team")
    String team;

    @Parameters(index = "1", description = "offsets, comma-separated: 42,123,888")
    String offsets;

    @Override
    public Integer call() throws Exception {
      return run(
          () -> {
            ObjectNode body = object();
            ArrayNode a = body.putArray("offsets");
            numbers(offsets, "offsets").forEach(a::add);
            printPool(put(target, "/api/v1/teams/" + team + "/seed-pool", body), System.out);
            return EXIT_OK;
          });
    }
  }

  @Command(
      name = "promote",
      mixinStandardHelpOptions = true,
      description = "Add an offset that proved good to a team's pool.")
  static final class PoolPromote implements Callable<Integer> {
    @Mixin Target target;

    @Parameters(index = "0", description = "the team")
    String team;

    @Parameters(index = "1", description = "the offset")
    long offset;

    @Override
    public Integer call() throws Exception {
      return run(
          () -> {
            ObjectNode body = object();
            body.put("offset", offset);
            printPool(
                post(target, "/api/v1/teams/" + team + "/seed-pool/promote", body, 200),
                System.out);
            return EXIT_OK;
          });
    }
  }
}
