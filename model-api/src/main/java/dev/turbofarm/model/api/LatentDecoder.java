package dev.turbofarm.model.api;

import ai.djl.ndarray.NDArray;

/** Turns a clean latent at 1/8 of the output size into the full-size image. */
public interface LatentDecoder {

  /** Output pixels per latent cell along each side. */
  int DOWNSCALE = 8;

  /**
   * @param latent clean latents [B, C, height/8, width/8]
   * @return RGB in [0, 1], [B, 3, height, width], in the latent's manager
   */
  NDArray decode(NDArray latent, int height, int width);
}
