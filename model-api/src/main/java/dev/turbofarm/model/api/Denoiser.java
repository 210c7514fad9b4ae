package dev.turbofarm.model.api;

import ai.djl.ndarray.NDArray;

/** Predicts the flow-matching velocity (noise minus clean latent) of a noisy latent. */
public interface Denoiser {

  /** Channels of the latent this denoiser works in. */
  int latentChannels();

  /**
   * @param latent noisy latents [B, C, H/8, W/8]
   * @param t time of each row in (0, 1], 1 = pure noise, [B]
   * @param conditioning text conditioning [B, ...] from the paired {@link TextEncoder}
   * @return velocity, same shape as {@code latent}, in the latent's manager
   */
  NDArray velocity(NDArray latent, NDArray t, NDArray conditioning);
}
