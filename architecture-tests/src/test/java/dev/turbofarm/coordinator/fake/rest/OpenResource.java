package dev.turbofarm.coordinator.fake.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/** For ArchitectureRulesTest: one endpoint that says who may call it, one that does not. */
@Path("/fake")
public class OpenResource {
  @GET
  public String open() {
    return "anyone?";
  }

  @POST
  @RolesAllowed("admin")
  public String guarded() {
    return "admins";
  }
}
