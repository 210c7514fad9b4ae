package dev.turbofarm.coordinator.analytics.rest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turbofarm.common.job.JobRules;
import dev.turbofarm.common.seed.Seeds;
import dev.turbofarm.coordinator.analytics.Dimension;
import dev.turbofarm.coordinator.analytics.HistoryCursor;
import dev.turbofarm.coordinator.analytics.HistoryImage;
import dev.turbofarm.coordinator.analytics.ImageFilter;
import dev.turbofarm.coordinator.analytics.SeedStat;
import dev.turbofarm.coordinator.analytics.service.AnalyticsService;
import dev.turbofarm.coordinator.analytics.service.Summary;
import dev.turbofarm.coordinator.config.FarmConfig;
import dev.turbofarm.coordinator.error.ForbiddenProblem;
import dev.turbofarm.coordinator.security.service.Caller;
import dev.turbofarm.coordinator.security.service.CallerContext;
import dev.turbofarm.coordinator.security.service.Roles;
import dev.turbofarm.coordinator.team.service.TeamScope;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The analysts' read-only history (docs/analytics.md): {@code GET /api/v1/analytics/images} (pages
 * by keyset, or the whole result as CSV or JSON Lines), {@code .../summary} (figures per group) and
 * {@code .../seeds} (seeds and pool offsets ranked by approval rate and mean quality).
 */
@Path("/api/v1/analytics")
public class AnalyticsResource {
  static final String CSV = "text/csv";
  static final String NDJSON = "application/x-ndjson";

  /** A history page's default size, images. */
  static final int DEFAULT_LIMIT = 50;

  /** A summary's or ranking's default window, days. */
  static final int DEFAULT_DAYS = 30;

  /** Longest prompt search text, characters. */
  static final int MAX_SEARCH_CHARS = 200;

  /** The history's columns, in CSV order; the JSON Lines keys are the same. */
  static final List<String> COLUMNS =
      List.of(
          "job_id",
          "image_index",
          "team",
          "batch_id",
          "prompt",
          "profile",
          "step_profile",
          "model",
          "width",
          "height",
          "steps",
          "guidance",
          "seed",
          "quality",
          "verdict",
          "rating",
          "render_ms",
          "queue_wait_ms",
          "parent_job_id",
          "parent_image_index",
          "derivation",
          "seed_offset",
          "rendered_at",
          "storage_key");

  private final AnalyticsService analytics;
  private final FarmConfig.Analytics config;
  private final ObjectMapper json;

  private final CallerContext callers;

  AnalyticsResource(
      AnalyticsService analytics, FarmConfig config, ObjectMapper json, CallerContext callers) {
    this.callers = callers;
    this.analytics = analytics;
    this.config = config.analytics();
    this.json = json;
  }

  /** A page of the history and where the next starts (null on the last page). */
  public record HistoryPage(List<HistoryImage> images, String next) {}

  @GET
  @Path("/images")
  @RolesAllowed({Roles.ANALYST, Roles.SUBMITTER, Roles.ADMIN})
  @Produces({MediaType.APPLICATION_JSON, CSV, NDJSON})
  public Response images(
      @BeanParam ImageQuery q,
      @QueryParam("limit") String limit,
      @QueryParam("after") String after,
      @QueryParam("format") String format) {
    Params p = new Params();
    Instant fromAt = p.instant("from", q.from);
    Duration back = p.since("since", q.since);
    if (back != null) {
      fromAt = Instant.now().minus(back);
    }
    ImageFilter f = filter(p, q, fromAt, p.instant("to", q.to));
    String fmt = p.oneOf("format", format, Set.of("json", "csv", "jsonl"));
    Integer n = p.integer("limit", limit, 1, config.maxPageSize());
    HistoryCursor cursor = cursor(p, after);
    p.check();
    if ("csv".equals(fmt) || "jsonl".equals(fmt)) {
      boolean csv = fmt.equals("csv");
      StreamingOutput out =
          os -> {
            Writer w =
                new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8), 1 << 16);
            if (csv) {
              w.write(String.join(",", COLUMNS));
              w.write('\n');
            }
            analytics.export(f, row -> line(w, row, csv));
            w.flush();
          };
      return Response.ok(out, csv ? CSV + ";charset=utf-8" : NDJSON)
          .header(
              "Content-Disposition",
              "attachment; filename=\"image-history." + (csv ? "csv" : "jsonl") + "\"")
          .build();
    }
    AnalyticsService.Page page = analytics.history(f, cursor, n == null ? DEFAULT_LIMIT : n);
    return Response.ok(
            new HistoryPage(page.images(), token(page.next())), MediaType.APPLICATION_JSON)
        .build();
  }

  /**
   * A summary as the API shows it.
   *
   * @param rolledDays days read from their per-day rollups
   * @param rowDays days read from the image rows
   */
  public record SummaryView(
      LocalDate from,
      LocalDate to,
      List<String> groupBy,
      List<GroupView> groups,
      int rolledDays,
      int rowDays) {}

  /**
   * One group's figures.
   *
   * @param key the group's value per dimension of {@code groupBy}
   * @param approvalRate approved / (approved + rejected); null while none is reviewed
   */
  public record GroupView(
      Map<String, Object> key,
      long images,
      Double meanQuality,
      Double p50Quality,
      long approved,
      long rejected,
      Double approvalRate,
      Double p50RenderMs,
      Double p95RenderMs,
      Double meanQueueWaitMs) {}

  @GET
  @Path("/summary")
  @RolesAllowed({Roles.ANALYST, Roles.SUBMITTER, Roles.ADMIN})
  @Produces(MediaType.APPLICATION_JSON)
  public SummaryView summary(@QueryParam("groupBy") String groupBy, @BeanParam ImageQuery q) {
    Params p = new Params();
    List<Dimension> dims = dimensions(p, groupBy);
    LocalDate[] days = days(p, q.from, q.to, q.since);
    ImageFilter f = filter(p, q, null, null);
    p.check();
    Summary s = analytics.summary(f, dims, days[0], days[1]);
    return new SummaryView(
        s.from(),
        s.to(),
        s.groupBy(),
        s.groups().stream().map(g -> view(s.groupBy(), g)).toList(),
        s.rolledDays(),
        s.rowDays());
  }

  /** Seeds and offsets ranked, with the window they cover. */
  public record SeedsView(
      LocalDate from, LocalDate to, List<SeedStat> seeds, List<SeedStat> offsets) {}

  @GET
  @Path("/seeds")
  @RolesAllowed({Roles.ANALYST, Roles.SUBMITTER, Roles.ADMIN})
  @Produces(MediaType.APPLICATION_JSON)
  public SeedsView seeds(
      @QueryParam("prompt") String prompt,
      @QueryParam("team") String team,
      @QueryParam("model") String model,
      @QueryParam("profile") String profile,
      @QueryParam("stepProfile") String stepProfile,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("since") String since,
      @QueryParam("minImages") String minImages,
      @QueryParam("limit") String limit) {
    Params p = new Params();
    LocalDate[] days = days(p, from, to, since);
    ImageFilter f =
        filter(
            p,
            ImageQuery.of(team, model, profile, stepProfile, prompt),
            days[0].atStartOfDay(ZoneOffset.UTC).toInstant(),
            days[1].plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    Integer min = p.integer("minImages", minImages, 1, 1_000_000);
    Integer n = p.integer("limit", limit, 1, config.maxPageSize());
    p.check();
    AnalyticsService.SeedRanking r = analytics.seeds(f, min == null ? 1 : min, n == null ? 20 : n);
    return new SeedsView(days[0], days[1], r.seeds(), r.offsets());
  }

  private ImageFilter filter(Params p, ImageQuery q, Instant from, Instant to) {
    // Every query sees only the caller's teams (an analyst's granted ones, a submitter's own);
    // naming a team outside them is refused rather than answered empty.
    Caller caller = callers.caller();
    TeamScope scope = TeamScope.readableBy(caller);
    if (q.team != null && !q.team.isBlank() && !caller.canRead(q.team.trim())) {
      throw new ForbiddenProblem(
          "team: '"
              + q.team.trim()
              + "' is not among the teams this credential may read "
              + caller.teams());
    }
    return new ImageFilter(
        scope.teams(),
        p.text("team", q.team, JobRules.MAX_TEAM_CHARS),
        p.uuid("batch", q.batch),
        p.text("model", q.model, JobRules.MAX_MODEL_CHARS),
        p.text("profile", q.profile, 200),
        p.text("stepProfile", q.stepProfile, 200),
        p.integer("width", q.width, 0, JobRules.MAX_SIZE),
        p.integer("height", q.height, 0, JobRules.MAX_SIZE),
        p.integer("steps", q.steps, JobRules.MIN_STEPS, JobRules.MAX_STEPS),
        p.decimal("guidance", q.guidance, JobRules.MIN_GUIDANCE, JobRules.MAX_GUIDANCE),
        p.whole("seed", q.seed, 0, Seeds.MAX_SEED),
        from,
        to,
        p.decimal("qualityMin", q.qualityMin, 0, 1),
        p.decimal("qualityMax", q.qualityMax, 0, 1),
        p.oneOf("verdict", q.verdict, Set.of("approved", "rejected", "unreviewed")),
        p.text("prompt", q.prompt, MAX_SEARCH_CHARS),
        p.oneOf("derivation", q.derivation, Set.of("variant", "refine", "rerun", "none")));
  }

  /** UTC days from..to: explicit dates, or {@code since=Nd} (today and the N-1 days before). */
  private LocalDate[] days(Params p, String from, String to, String since) {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    LocalDate end = p.date("to", to);
    LocalDate start = p.date("from", from);
    Duration back = p.since("since", since);
    if (end == null) {
      end = today;
    }
    if (start == null) {
      long n = back == null ? DEFAULT_DAYS : Math.max(1, back.toDays());
      start = end.minusDays(n - 1);
    }
    if (start.isAfter(end)) {
      p.add("from", "is after to (" + end + ")");
    } else if (end.toEpochDay() - start.toEpochDay() + 1 > config.maxDays()) {
      p.add("from", "spans more than " + config.maxDays() + " days; narrow the window");
    }
    return new LocalDate[] {start, end};
  }

  private static List<Dimension> dimensions(Params p, String groupBy) {
    List<Dimension> out = new ArrayList<>();
    if (groupBy == null || groupBy.isBlank()) {
      return out;
    }
    for (String name : groupBy.split(",")) {
      if (name.isBlank()) {
        continue;
      }
      Dimension.of(name)
          .ifPresentOrElse(
              d -> {
                if (!out.contains(d)) {
                  out.add(d);
                }
              },
              () ->
                  p.add(
                      "groupBy",
                      "'"
                          + name.trim()
                          + "' is not a dimension; one of "
                          + String.join(
                              ", ",
                              java.util.Arrays.stream(Dimension.values())
                                  .map(Dimension::apiName)
                                  .toList())));
    }
    return out;
  }

  private static GroupView view(List<String> names, Summary.Group g) {
    Map<String, Object> key = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      Object v = g.key().get(i);
      key.put(names.get(i), v instanceof LocalDate d ? d.toString() : v);
    }
    return new GroupView(
        key,
        g.images(),
        g.meanQuality(),
        g.p50Quality(),
        g.approved(),
        g.rejected(),
        g.approvalRate(),
        g.p50RenderMs(),
        g.p95RenderMs(),
        g.meanQueueWaitMs());
  }

  /** The cursor as an opaque token: microseconds, job id and index, base64url. */
  static String token(HistoryCursor c) {
    if (c == null) {
      return null;
    }
    long micros =
        Math.addExact(
            Math.multiplyExact(c.renderedAt().getEpochSecond(), 1_000_000L),
            c.renderedAt().getNano() / 1_000);
    String raw = micros + ":" + c.jobId() + ":" + c.index();
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  static HistoryCursor cursor(Params p, String token) {
    String t = Params.blankToNull(token);
    if (t == null) {
      return null;
    }
    try {
      String[] parts =
          new String(Base64.getUrlDecoder().decode(t), StandardCharsets.UTF_8).split(":");
      long micros = Long.parseLong(parts[0]);
      return new HistoryCursor(
          Instant.ofEpochSecond(
              Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L),
          UUID.fromString(parts[1]),
          Integer.parseInt(parts[2]));
    } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
      p.add("after", "is not a cursor this API gave; pass the 'next' of the previous page");
      return null;
    }
  }

  private void line(Writer w, HistoryImage r, boolean csv) throws IOException {
    Object[] v = {
      r.jobId(),
      r.index(),
      r.team(),
      r.batchId(),
      r.prompt(),
      r.profile(),
      r.stepProfile(),
      r.model(),
      r.width(),
      r.height(),
      r.steps(),
      r.guidance(),
      r.seed(),
      r.quality(),
      r.verdict(),
      r.rating(),
      r.renderMs(),
      r.queueWaitMs(),
      r.parentJobId(),
      r.parentIndex(),
      r.derivation(),
      r.seedOffset(),
      r.renderedAt() == null ? null : r.renderedAt().withOffsetSameInstant(ZoneOffset.UTC),
      r.storageKey()
    };
    if (csv) {
      for (int i = 0; i < v.length; i++) {
        if (i > 0) {
          w.write(',');
        }
        w.write(csv(v[i]));
      }
      w.write('\n');
      return;
    }
    try (JsonGenerator g = json.getFactory().createGenerator(w)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.writeStartObject();
      for (int i = 0; i < v.length; i++) {
        g.writeFieldName(COLUMNS.get(i));
        Object o = v[i];
        if (o == null) {
          g.writeNull();
        } else if (o instanceof Number num) {
          g.writeNumber(num.toString());
        } else {
          g.writeString(o.toString());
        }
      }
      g.writeEndObject();
    }
    w.write('\n');
  }

  /** RFC 4180 quoting: only when the value needs it; null is an empty field. */
  static String csv(Object o) {
    if (o == null) {
      return "";
    }
    String v = o instanceof OffsetDateTime t ? t.toString() : o.toString();
    if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) {
      return v;
    }
    return '"' + v.replace("\"", "\"\"") + '"';
  }
}
