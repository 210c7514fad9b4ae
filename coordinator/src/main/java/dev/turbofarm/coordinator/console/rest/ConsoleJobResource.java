package dev.turbofarm.coordinator.console.rest;

import dev.turbofarm.common.job.JobRequest;
import dev.turbofarm.common.job.Steps;
import dev.turbofarm.coordinator.console.service.ConsoleTeams;
import dev.turbofarm.coordinator.http.PageCursor;
import dev.turbofarm.coordinator.job.service.Job;
import dev.turbofarm.coordinator.job.service.JobListing;
import dev.turbofarm.coordinator.job.service.JobService;
import dev.turbofarm.coordinator.profile.service.ProfileService;
import dev.turbofarm.coordinator.security.service.Caller;
import dev.turbofarm.coordinator.security.service.ConsoleSessions;
import dev.turbofarm.coordinator.seed.service.Derivations;
import dev.turbofarm.coordinator.seed.service.Lineages;
import dev.turbofarm.coordinator.seed.service.RefineRequest;
import dev.turbofarm.coordinator.seed.service.VariantsRequest;
import dev.turbofarm.coordinator.team.service.TeamScope;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;

/**
 * The console's job pages: <i>Jobs</i> (the newest jobs' images), <i>New job</i> (the form, the
 * result card that htmx polls until the images land, recent jobs) and the <i>Image</i> page (full
 * image, settings, seed, lineage, and the variants / refine / render again buttons).
 */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class ConsoleJobResource {
  /** Size presets of the form, as Z-Image-Turbo web UIs offer them: width x height, px. */
  static final List<Preset> PRESETS =
      List.of(
          new Preset(1024, 576, "16:9"),
          new Preset(576, 1024, "9:16"),
          new Preset(768, 768, "1:1"),
          new Preset(512, 512, "1:1 small"));

  /** A size preset button. */
  @io.quarkus.qute.TemplateData
  public record Preset(int width, int height, String label) {}

  private final ConsolePages pages;
  private final JobService jobs;
  private final JobListing listing;
  private final ProfileService profiles;
  private final Derivations derivations;
  private final Lineages lineages;
  private final ConsoleTeams teams;
  private final java.util.Set<String> hiddenTeams;

  ConsoleJobResource(
      ConsolePages pages,
      JobService jobs,
      JobListing listing,
      ProfileService profiles,
      Derivations derivations,
      Lineages lineages,
      ConsoleTeams teams,
      dev.turbofarm.coordinator.config.FarmConfig config) {
    this.pages = pages;
    this.jobs = jobs;
    this.listing = listing;
    this.profiles = profiles;
    this.derivations = derivations;
    this.lineages = lineages;
    this.teams = teams;
    this.hiddenTeams = config.teams().consoleHidden();
  }

  @GET
  @Path("/jobs/new")
  @PermitAll
  @Operation(hidden = true)
  public Response newJob(@CookieParam(ConsoleSessions.COOKIE) String sid) {
    Caller c = pages.caller();
    if (c == null) {
      return ConsolePages.signIn();
    }
    if (!ConsolePages.canSubmit(c)) {
      return pages.forbidden(c, sid, "Submitting jobs needs a submitter or admin key.");
    }
    List<Job> recent =
        listing
            .list(
                new JobListing.Query(
                    TeamScope.of(java.util.Set.of(c.team())),
                    java.util.Set.of(),
                    java.util.Set.of(),
                    null,
                    null,
                    null,
                    null,
                    12),
                c)
            .jobs();
    return ConsolePages.ok(
        pages
            .page("console/new-job", c, sid, "New job")
            .data("presets", PRESETS)
            .data("stepProfiles", profiles.steps())
            .data("recent", recent));
  }

  /**
   * <i>Jobs</i>: the images of the newest jobs the caller may read, one tile each, newest first,
   * paged by the list's cursor; every team's for an admin unless {@code team} names one. Single
   * jobs (the demo's, the API's) have no batch gallery: this is where they are seen.
   */
  @GET
  @Path("/jobs")
  @PermitAll
  @Operation(hidden = true)
  public Response jobList(
      @QueryParam("team") String team,
      @QueryParam("after") String after,
      @CookieParam(ConsoleSessions.COOKIE) String sid) {
    Caller c = pages.caller();
    if (c == null) {
      return ConsolePages.signIn();
    }
    String selected = team == null || team.isBlank() ? "all" : team.strip();
    JobListing.Page page =
        listing.list(
            new JobListing.Query(
                TeamScope.listedBy(c, selected),
                // Every team's page leaves out the farm's own warm-up jobs (listed under Teams).
                "all".equals(selected) ? hiddenTeams : java.util.Set.of(),
                java.util.Set.of(),
                null,
                null,
                null,
                PageCursor.parse("after", after),
                JOBS_PAGE),
            c);
    List<JobTile> tiles = new java.util.ArrayList<>();
    for (Job listed : page.jobs()) {
      Job j = listed.state().terminal() ? jobs.get(listed.id(), c) : listed;
      if (j.images() == null || j.images().isEmpty()) {
        tiles.add(new JobTile(j, null));
      } else {
        j.images().forEach(i -> tiles.add(new JobTile(j, i)));
      }
    }
    return ConsolePages.ok(
        pages
            .page("console/jobs", c, sid, "Jobs")
            .data("tiles", tiles)
            .data("team", selected)
            .data("hidden", "all".equals(selected) ? hiddenTeams : java.util.Set.of())
            .data("teams", teams.withJobs(c))
            .data("next", page.next() == null ? null : page.next().token()));
  }

  /** Jobs per page of the Jobs gallery: up to 8 images each. */
  static final int JOBS_PAGE = 24;

  /** One image of a job in the Jobs gallery, or the job alone (null image) while it has none. */
  @io.quarkus.qute.TemplateData
  public record JobTile(Job job, Job.Image image) {}

  @POST
  @Path("/jobs")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @PermitAll
  @Operation(hidden = true)
  public Response submit(
      @RestForm String prompt,
      @RestForm String negativePrompt,
      @RestForm String width,
      @RestForm String height,
      @RestForm String stepProfile,
      @RestForm String guidance,
      @RestForm String count,
      @RestForm String seed) {
    Caller c = pages.caller();
    if (c == null) {
      return ConsolePages.signIn();
    }
    Map<String, Object> data = new HashMap<>();
    try {
      Job job =
          jobs.submit(
              new JobRequest(
                  prompt,
                  blank(negativePrompt) ? null : negativePrompt,
                  null,
                  integer(width, "width"),
                  integer(height, "height"),
                  blank(stepProfile) ? null : Steps.profile(stepProfile.strip()),
                  decimal(guidance, "guidance"),
                  whole(seed, "seed"),
                  integer(count, "count"),
                  null,
                  null,
                  null,
                  null),
              c);
      data.put("job", job);
      return ConsolePages.ok(pages.fragment("console/job-card", data));
    } catch (RuntimeException e) {
      List<String> problems = ConsoleProblems.of(e);
      if (problems == null) {
        throw e;
      }
      data.put("problems", problems);
      return ConsolePages.ok(pages.fragment("console/problems", data));
    }
  }

  /** The result card: htmx polls it while the job is not done. */
  @GET
  @Path("/jobs/{id}/card")
  @PermitAll
  @Operation(hidden = true)
  public Response card(@PathParam("id") UUID id) {
    Caller c = pages.caller();
    if (c == null) {
      return ConsolePages.signIn();
    }
    Map<String, Object> data = new HashMap<>();
    data.put("job", jobs.get(id, c));
    return ConsolePages.ok(pages.fragment("console/job-card", data));
  }

  @GET
  @Path("/images/{jobId}/{index}")
  @PermitAll
  @Operation(hidden = true)
  public Response image(
      @PathParam("jobId") UUID jobId,
      @PathParam("index") int index,
      @CookieParam(ConsoleSessions.COOKIE) String sid) {
    Caller c = pages.caller();
    if (c == null) {
      return ConsolePages.signIn();
    }
    Job job = jobs.get(jobId, c);
    Job.Image image =
        job.images().stream()
            .filter(i -> i.index() == index)
            .findFirst()
            .orElseThrow(
                () ->
                    new dev.turbofarm.coordinator.error.NotFoundProblem(
                        "job " + jobId + " has no rendered image " + index));
    Lineages.Lineage lineage = lineages.of(jobId, index, TeamScope.readableBy(c));
    return ConsolePages.ok(
        pages
            .page("console/image", c, sid, "Image " + index + " of " + jobId)
            .data("job", job)
            .data("image", image)
            .data("ancestry", lineage.ancestry())
            .data("children", lineage.children())
            .data("canWrite", c.canWrite(job.team())));
  }

  /** Variants, refine or render again: the new job's card, which polls until it lands. */
  @POST
  @Path("/images/{jobId}/{index}/{action: variants|refine|rerun}")
  @PermitAll
  @Operation(hidden = true)
  public Response derive(
      @PathParam("jobId") UUID jobId,
      @PathParam("index") int index,
      @PathParam("action") String action) {
    Caller c = pages.caller();
    if (c == null) {
      return ConsolePages.signIn();
    }
    Map<String, Object> data = new HashMap<>();
    try {
      TeamScope scope = TeamScope.writableBy(c);
      Job job =
          switch (action) {
            case "variants" ->
                derivations.variants(
                    jobId, index, new VariantsRequest(null, null, null, null, null), scope);
            case "refine" -> derivations.refine(jobId, index, new RefineRequest(null, null), scope);
            default -> derivations.rerun(jobId, index, scope);
          };
      data.put("job", job);
      return ConsolePages.ok(pages.fragment("console/job-card", data));
    } catch (RuntimeException e) {
      List<String> problems = ConsoleProblems.of(e);
      if (problems == null) {
        throw e;
      }
      data.put("problems", problems);
      return ConsolePages.ok(pages.fragment("console/problems", data));
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static Integer integer(String s, String field) {
    return number(s, field, Integer::valueOf, "a whole number");
  }

  private static Long whole(String s, String field) {
    return number(s, field, Long::valueOf, "a whole number");
  }

  private static Double decimal(String s, String field) {
    return number(s, field, Double::valueOf, "a number");
  }

  /** A form field's number; null when blank; a 400 naming the field when it is not {@code what}. */
  private static <T> T number(
      String s, String field, java.util.function.Function<String, T> parse, String what) {
    if (blank(s)) {
      return null;
    }
    try {
      return parse.apply(s.strip());
    } catch (NumberFormatException e) {
      throw dev.turbofarm.coordinator.error.InvalidInputProblem.of(
          field, "is '" + s + "'; must be " + what);
    }
  }
}
