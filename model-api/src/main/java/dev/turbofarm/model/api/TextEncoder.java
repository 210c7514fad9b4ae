package dev.turbofarm.model.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/** Turns prompts into the conditioning the denoiser reads. */
public interface TextEncoder {

  /**
   * Encodes prompts. The empty prompt (and any prompt of only unknown words) encodes to the
   * unconditional embedding used for classifier-free guidance.
   *
   * @return conditioning [B, ...], created in {@code manager}
   */
  NDArray encode(NDManager manager, List<String> prompts);
}
