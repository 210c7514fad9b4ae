package dev.turbofarm.model.api;

/**
 * One image to render. Requests in one {@link Pipeline#render} call share width, height, steps and
 * guidance (the batch key); prompts and seeds differ.
 *
 * @param prompt the text prompt
 * @param negativePrompt the negative prompt, empty when none
 * @param width output width in pixels, a multiple of 64
 * @param height output height in pixels, a multiple of 64
 * @param steps sampler steps
 * @param guidance classifier-free guidance scale; at most 1 means a single conditional pass
 * @param seed this image's seed: its starting noise depends on nothing else
 */
public record RenderRequest(
    String prompt,
    String negativePrompt,
    int width,
    int height,
    int steps,
    double guidance,
    long seed) {}
