package dev.turbofarm.coordinator.security.service;

import java.util.List;

/**
 * The three roles, as {@code @RolesAllowed} names them. A key or token holds exactly one.
 *
 * <ul>
 *   <li>{@link #SUBMITTER}: submit, read, cancel and download its own team's jobs and batches;
 *   <li>{@link #ANALYST}: read-only, the history and analytics of the teams on its key;
 *   <li>{@link #ADMIN}: everything, for any team, including {@code /api/v1/admin/*}.
 * </ul>
 */
public final class Roles {
  public static final String SUBMITTER = "submitter";
  public static final String ANALYST = "analyst";
  public static final String ADMIN = "admin";

  /** Every role, weakest first. */
  public static final List<String> ALL = List.of(ANALYST, SUBMITTER, ADMIN);

  private Roles() {}

  /** Whether {@code role} is one of the three. */
  public static boolean isRole(String role) {
    return role != null && ALL.contains(role);
  }
}
