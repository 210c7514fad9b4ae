package dev.turbofarm.common.job;

import dev.turbofarm.common.profile.Profile;
import dev.turbofarm.common.profile.ProfileCatalog;
import dev.turbofarm.common.profile.StepProfile;
import dev.turbofarm.common.seed.Seeds;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The rules every job obeys, whether it came alone or in a catalogue: validation that names each
 * bad field, and resolution of absent settings from the profile. Never rounds a value silently.
 */
public final class JobRules {
  /** Sizes must divide by the model's total down-sampling (8x latent, 8x more in the denoiser). */
  public static final int SIZE_MULTIPLE = 64;

  /** Smallest side, pixels: below it the latent is too small to carry an object. */
  public static final int MIN_SIZE = 256;

  /** Largest side, pixels: beyond it one image outgrows a single GPU's memory. */
  public static final int MAX_SIZE = 2048;

  public static final int MIN_STEPS = 1;
  public static final int MAX_STEPS = 100;
  public static final double MIN_GUIDANCE = 0;
  public static final double MAX_GUIDANCE = 20;
  public static final int MIN_COUNT = 1;

  /** Images per prompt: one sampler batch at most. */
  public static final int MAX_COUNT = 8;

  /** Prompt length cap, characters: far beyond any text encoder's context. */
  public static final int MAX_PROMPT_CHARS = 2000;

  public static final int MAX_TEAM_CHARS = 64;

  /** Longest model id, characters: a name and a version, e.g. {@code turbofarm-tiny@1.4}. */
  public static final int MAX_MODEL_CHARS = 200;

  public static final String DEFAULT_TEAM = "default";
  private static final Pattern TEAM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  /** Longest profile name, characters: a name from {@code GET /api/v1/profiles}, not a text. */
  public static final int MAX_PROFILE_CHARS = 64;

  /** What a team name must be, as a field error's problem. */
  public static final String TEAM_RULE =
      "must be 1.."
          + MAX_TEAM_CHARS
          + " letters, digits, '.', '_' or '-', starting with a letter or digit";

  private JobRules() {}

  /** Whether {@code team} is a valid team name (jobs, batches and API keys share the rule). */
  public static boolean isTeamName(String team) {
    return team != null && team.length() <= MAX_TEAM_CHARS && TEAM.matcher(team).matches();
  }

  /**
   * The text rule every text field obeys, in single jobs, catalogue rows and messages alike:
   * nothing that PostgreSQL, a log line or a CSV manifest would choke on. Control characters
   * (Unicode category Cc: U+0000..U+001F, U+007F..U+009F; NUL included) are refused, except in
   * multi-line texts (prompts) the three whitespace ones a pasted prompt carries: tab, line feed
   * and carriage return. An unpaired surrogate (half of a UTF-16 pair, which no UTF-8 encoder can
   * write) is refused everywhere.
   *
   * @param multiLine whether tab, line feed and carriage return are allowed (prompts)
   * @return what is wrong with {@code value}, or null when it obeys the rule (or is null)
   */
  public static String textProblem(String value, boolean multiLine) {
    if (value == null) {
      return null;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
          i++;
          continue;
        }
        return "contains an unpaired surrogate " + codePoint(c) + " at position " + (i + 1);
      }
      if (Character.isLowSurrogate(c)) {
        return "contains an unpaired surrogate " + codePoint(c) + " at position " + (i + 1);
      }
      if (Character.getType(c) == Character.CONTROL
          && !(multiLine && (c == '\t' || c == '\n' || c == '\r'))) {
        return "contains the control character "
            + codePoint(c)
            + " at position "
            + (i + 1)
            + (multiLine
                ? "; only tab, line feed and carriage return are allowed"
                : "; no control characters are allowed");
      }
    }
    return null;
  }

  /**
   * Checks {@code value} against {@link #textProblem} and adds the problem, if any, as {@code
   * field}'s error.
   *
   * @return whether the value obeys the rule
   */
  public static boolean checkText(
      String field, String value, boolean multiLine, List<FieldError> errors) {
    String problem = textProblem(value, multiLine);
    if (problem != null) {
      errors.add(new FieldError(field, problem));
      return false;
    }
    return true;
  }

  private static String codePoint(char c) {
    return String.format("U+%04X", (int) c);
  }

  /**
   * Validates a request and resolves it against the size profiles only (steps must be a number).
   *
   * @param request what the caller sent
   * @param profiles looks a profile up by name
   * @param defaultProfile the profile used when the request names none
   * @throws InvalidJobException naming every bad field
   */
  public static JobSpec resolve(
      JobRequest request, Function<String, Optional<Profile>> profiles, String defaultProfile) {
    return resolve(request, ProfileCatalog.sizesOnly(profiles, defaultProfile), () -> null);
  }

  /**
   * Validates a request and resolves it: the size profile gives size and guidance, the step profile
   * (named in {@code steps}, else the size profile's default) gives the steps, explicit values win.
   *
   * @param request what the caller sent
   * @param catalog the size and step profiles, and the default size profile
   * @param defaultModel the model of a request that names none; asked only then
   * @throws InvalidJobException naming every bad field
   */
  public static JobSpec resolve(
      JobRequest request, ProfileCatalog catalog, Supplier<String> defaultModel) {
    Function<String, Optional<Profile>> profiles = catalog.sizes();
    String defaultProfile = catalog.defaultProfile();
    List<FieldError> errors = new ArrayList<>();
    if (request == null) {
      throw new InvalidJobException(
          List.of(new FieldError("body", "a JSON job object is required")));
    }
    String prompt = request.prompt();
    if (!checkText("prompt", prompt, true, errors)) {
      prompt = null;
    } else if (prompt == null || prompt.isBlank()) {
      errors.add(new FieldError("prompt", "must not be empty"));
    } else if (prompt.length() > MAX_PROMPT_CHARS) {
      errors.add(
          new FieldError(
              "prompt",
              "is " + prompt.length() + " characters; at most " + MAX_PROMPT_CHARS + " allowed"));
    }
    String negative = request.negativePrompt() == null ? "" : request.negativePrompt();
    if (!checkText("negativePrompt", negative, true, errors)) {
      negative = "";
    } else if (negative.length() > MAX_PROMPT_CHARS) {
      errors.add(
          new FieldError(
              "negativePrompt",
              "is " + negative.length() + " characters; at most " + MAX_PROMPT_CHARS + " allowed"));
    }
    String profileName = request.profile() == null ? defaultProfile : request.profile();
    Optional<Profile> profile = Optional.empty();
    if (checkName("profile", profileName, errors)) {
      profile = profiles.apply(profileName);
      if (profile.isEmpty()) {
        errors.add(
            new FieldError(
                "profile", "unknown profile '" + profileName + "'; see GET /api/v1/profiles"));
      }
    }
    Optional<Profile> fallback = Optional.empty();
    if (request.fallbackProfile() != null
        && checkName("fallbackProfile", request.fallbackProfile(), errors)) {
      fallback = profiles.apply(request.fallbackProfile());
      if (fallback.isEmpty()) {
        errors.add(
            new FieldError(
                "fallbackProfile",
                "unknown profile '" + request.fallbackProfile() + "'; see GET /api/v1/profiles"));
      }
    }
    checkSize("width", request.width(), errors);
    checkSize("height", request.height(), errors);
    Steps steps = request.steps();
    Optional<StepProfile> stepProfile = Optional.empty();
    if (steps != null && steps.count() != null) {
      if (steps.count() < MIN_STEPS || steps.count() > MAX_STEPS) {
        errors.add(
            new FieldError(
                "steps", "is " + steps.count() + "; must be " + MIN_STEPS + ".." + MAX_STEPS));
      }
    } else if (steps != null) {
      stepProfile = catalog.steps().apply(steps.profile());
      if (stepProfile.isEmpty()) {
        errors.add(
            new FieldError(
                "steps",
                "unknown step profile '"
                    + steps.profile()
                    + "'; give a number "
                    + MIN_STEPS
                    + ".."
                    + MAX_STEPS
                    + " or a step profile of GET /api/v1/profiles (explore, daily, final)"));
      }
    }
    if (request.guidance() != null
        && (request.guidance().isNaN()
            || request.guidance() < MIN_GUIDANCE
            || request.guidance() > MAX_GUIDANCE)) {
      errors.add(
          new FieldError(
              "guidance",
              "is " + request.guidance() + "; must be " + MIN_GUIDANCE + ".." + MAX_GUIDANCE));
    }
    List<Long> seedList = request.seeds();
    int count = request.count() != null ? request.count() : seedList != null ? seedList.size() : 1;
    if (count < MIN_COUNT || count > MAX_COUNT) {
      errors.add(
          new FieldError("count", "is " + count + "; must be " + MIN_COUNT + ".." + MAX_COUNT));
    }
    if (request.seed() != null && (request.seed() < 0 || request.seed() > Seeds.MAX_SEED)) {
      errors.add(new FieldError("seed", "is " + request.seed() + "; must be 0.." + Seeds.MAX_SEED));
    }
    if (seedList != null) {
      checkSeeds(seedList, request.seed(), request.count(), errors);
    }
    String model = request.model();
    if (model != null
        && (model.isBlank()
            || model.length() > MAX_MODEL_CHARS
            || model.chars().anyMatch(Character::isISOControl))) {
      errors.add(
          new FieldError(
              "model",
              "must be 1.."
                  + MAX_MODEL_CHARS
                  + " printable characters, a model id such as turbofarm-tiny@1.4"));
    }
    String team = request.team() == null ? DEFAULT_TEAM : request.team();
    if (!isTeamName(team)) {
      errors.add(new FieldError("team", TEAM_RULE));
    }
    if (!errors.isEmpty()) {
      throw new InvalidJobException(errors);
    }
    Profile p = profile.orElseThrow();
    int resolvedSteps;
    String stepProfileName;
    if (steps == null) {
      // The size profile's default step profile; its steps are already the profile's steps.
      resolvedSteps = p.steps();
      stepProfileName = p.stepProfile();
    } else if (steps.count() != null) {
      resolvedSteps = steps.count();
      stepProfileName = null;
    } else {
      resolvedSteps = stepProfile.orElseThrow().steps();
      stepProfileName = stepProfile.orElseThrow().name();
    }
    return new JobSpec(
        team,
        prompt,
        negative,
        p.name(),
        request.width() == null ? p.width() : request.width(),
        request.height() == null ? p.height() : request.height(),
        resolvedSteps,
        request.guidance() == null ? p.guidance() : request.guidance(),
        seedList != null ? seedList : Seeds.forJob(request.seed(), count),
        fallback.orElse(null),
        stepProfileName,
        model != null ? model : defaultModel.get());
  }

  /** An explicit seed list: each in range, no repeats, and neither {@code seed} nor a count. */
  private static void checkSeeds(
      List<Long> seeds, Long seed, Integer count, List<FieldError> errors) {
    if (seed != null) {
      errors.add(
          new FieldError("seeds", "give either seed (the first of a run) or seeds, not both"));
    }
    if (count != null && count != seeds.size()) {
      errors.add(
          new FieldError(
              "seeds",
              "has " + seeds.size() + " seeds but count is " + count + "; they must match"));
    }
    if (seeds.isEmpty()) {
      errors.add(new FieldError("seeds", "must hold at least one seed"));
    }
    var seen = new HashSet<Long>();
    for (int i = 0; i < seeds.size(); i++) {
      Long s = seeds.get(i);
      if (s == null || s < 0 || s > Seeds.MAX_SEED) {
        errors.add(
            new FieldError("seeds[" + i + "]", "is " + s + "; must be 0.." + Seeds.MAX_SEED));
      } else if (!seen.add(s)) {
        errors.add(
            new FieldError("seeds[" + i + "]", "repeats seed " + s + "; seeds are distinct"));
      }
    }
  }

  /**
   * Checks a seed pool: 1..{@link Seeds#MAX_POOL_SIZE} offsets, each 0..{@link Seeds#MAX_SEED}, no
   * repeats.
   *
   * @param field the pool's field name in the caller's request, e.g. {@code offsets}
   * @return every problem, empty when the pool is good
   */
  public static List<FieldError> checkSeedPool(String field, List<Long> offsets) {
    List<FieldError> errors = new ArrayList<>();
    if (offsets == null || offsets.isEmpty()) {
      errors.add(new FieldError(field, "must hold at least one offset"));
      return errors;
    }
    if (offsets.size() > Seeds.MAX_POOL_SIZE) {
      errors.add(
          new FieldError(
              field,
              "holds " + offsets.size() + " offsets; at most " + Seeds.MAX_POOL_SIZE + " allowed"));
    }
    var seen = new HashSet<Long>();
    for (int i = 0; i < offsets.size(); i++) {
      Long o = offsets.get(i);
      if (o == null || o < 0 || o > Seeds.MAX_SEED) {
        errors.add(
            new FieldError(field + "[" + i + "]", "is " + o + "; must be 0.." + Seeds.MAX_SEED));
      } else if (!seen.add(o)) {
        errors.add(
            new FieldError(field + "[" + i + "]", "repeats offset " + o + "; offsets are unique"));
      }
    }
    return errors;
  }

  /** A profile name: one line, short; whether it exists is the caller's lookup. */
  private static boolean checkName(String field, String name, List<FieldError> errors) {
    if (!checkText(field, name, false, errors)) {
      return false;
    }
    if (name.length() > MAX_PROFILE_CHARS) {
      errors.add(
          new FieldError(
              field,
              "is "
                  + name.length()
                  + " characters; profile names have at most "
                  + MAX_PROFILE_CHARS));
      return false;
    }
    return true;
  }

  /**
   * Whether {@code value} is a valid size in pixels: a multiple of {@link #SIZE_MULTIPLE} from
   * {@link #MIN_SIZE} to {@link #MAX_SIZE}.
   */
  public static boolean validSize(int value) {
    return value >= MIN_SIZE && value <= MAX_SIZE && value % SIZE_MULTIPLE == 0;
  }

  private static void checkSize(String field, Integer value, List<FieldError> errors) {
    if (value == null) {
      return;
    }
    if (!validSize(value)) {
      errors.add(
          new FieldError(
              field,
              "is "
                  + value
                  + "; must be a multiple of "
                  + SIZE_MULTIPLE
                  + " from "
                  + MIN_SIZE
                  + " to "
                  + MAX_SIZE
                  + (value % SIZE_MULTIPLE != 0 ? " (nearest: " + nearest(value) + ")" : "")));
    }
  }

  private static int nearest(int value) {
    int n = Math.round(value / (float) SIZE_MULTIPLE) * SIZE_MULTIPLE;
    return Math.max(MIN_SIZE, Math.min(MAX_SIZE, n));
  }
}
