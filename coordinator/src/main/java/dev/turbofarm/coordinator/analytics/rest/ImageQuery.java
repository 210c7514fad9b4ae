package dev.turbofarm.coordinator.analytics.rest;

import jakarta.ws.rs.QueryParam;

/**
 * The image-history filters as query parameters, shared by {@code GET /api/v1/analytics/images} and
 * {@code .../summary}; read and checked by {@link Params} (every bad one named in one 400).
 */
public class ImageQuery {
  @QueryParam("team")
  String team;

  @QueryParam("batch")
  String batch;

  @QueryParam("model")
  String model;

  @QueryParam("profile")
  String profile;

  @QueryParam("stepProfile")
  String stepProfile;

  @QueryParam("width")
  String width;

  @QueryParam("height")
  String height;

  @QueryParam("steps")
  String steps;

  @QueryParam("guidance")
  String guidance;

  @QueryParam("seed")
  String seed;

  /** An ISO-8601 instant or a date (its UTC midnight). */
  @QueryParam("from")
  String from;

  @QueryParam("to")
  String to;

  /** A window back from now: {@code 30d}, {@code 12h}, {@code 90m}. */
  @QueryParam("since")
  String since;

  @QueryParam("qualityMin")
  String qualityMin;

  @QueryParam("qualityMax")
  String qualityMax;

  @QueryParam("verdict")
  String verdict;

  /** Text searched in prompts (English or Chinese). */
  @QueryParam("prompt")
  String prompt;

  @QueryParam("derivation")
  String derivation;

  /** The filters the seed ranking takes. */
  static ImageQuery of(
      String team, String model, String profile, String stepProfile, String prompt) {
    ImageQuery q = new ImageQuery();
    q.team = team;
    q.model = model;
    q.profile = profile;
    q.stepProfile = stepProfile;
    q.prompt = prompt;
    return q;
  }
}
