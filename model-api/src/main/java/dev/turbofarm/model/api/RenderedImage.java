package dev.turbofarm.model.api;

import java.awt.image.BufferedImage;

/**
 * One rendered image and what the pipeline measured about it.
 *
 * @param image the picture, {@code TYPE_INT_RGB}, exactly the requested size
 * @param quality prompt-match score 0..1 from the model's scorer, null when it has none
 * @param sharpness no-reference sharpness (variance of the Laplacian of luma), null if unmeasured
 */
public record RenderedImage(BufferedImage image, Double quality, Double sharpness) {}
