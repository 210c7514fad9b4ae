package dev.turbofarm.model.tiny;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps a latent of any size onto the fixed-size core the networks were trained on, and back.
 *
 * <p>Along each axis, U is the bilinear upsampling matrix from the core size m to the latent size
 * n, and Q = U (U^T U)^-1/2 its symmetric orthonormalisation: Q has orthonormal columns, is close
 * to U / sqrt(n / m) (smooth, local) and P = Q Q^T is the orthogonal projection onto smooth
 * latents. Core coordinates are y = Q_h^T x Q_w. Because Q is orthonormal, white noise on the
 * latent stays exactly white unit noise in core coordinates, so the core network sees the same
 * distribution at 256 px as at 2048 px, and the part of the latent outside the core, (I - P) x, is
 * pure noise whose velocity is known in closed form.
 */
public final class CoreGrid {
  /** Core cells along the shorter side: the training canvas is 128 px = 16 latent cells. */
  public static final int SHORT_SIDE = 16;

  /** The core network halves twice, so core sides are multiples of 4 cells. */
  static final int MULTIPLE = 4;

  private static final Map<Long, float[]> Q_CACHE = new ConcurrentHashMap<>();

  private CoreGrid() {}

  /** Core rows and columns for a latent of h x w cells: the short side is 16, aspect kept. */
  public static int[] coreSize(int h, int w) {
    if (h <= w) {
      return new int[] {SHORT_SIDE, longSide(w, h)};
    }
    return new int[] {longSide(h, w), SHORT_SIDE};
  }

  private static int longSide(int longer, int shorter) {
    double exact = (double) SHORT_SIDE * longer / shorter;
    return Math.max(SHORT_SIDE, (int) Math.round(exact / MULTIPLE) * MULTIPLE);
  }

  /** x [B, C, h, w] -> y [B, C, gh, gw]. */
  static NDArray toCore(NDArray x, int gh, int gw) {
    Shape s = x.getShape();
    int h = (int) s.get(2);
    int w = (int) s.get(3);
    if (h == gh && w == gw) {
      return x;
    }
    NDManager m = x.getManager();
    NDArray qhT = m.create(transpose(q(h, gh), h, gh), new Shape(gh, h));
    NDArray qw = m.create(q(w, gw), new Shape(w, gw));
    return qhT.matMul(x).matMul(qw);
  }

  /** y [B, C, gh, gw] -> x [B, C, h, w] (the embedding Q y Q^T). */
  static NDArray fromCore(NDArray y, int h, int w) {
    Shape s = y.getShape();
    int gh = (int) s.get(2);
    int gw = (int) s.get(3);
    if (h == gh && w == gw) {
      return y;
    }
    NDManager m = y.getManager();
    NDArray qh = m.create(q(h, gh), new Shape(h, gh));
    NDArray qwT = m.create(transpose(q(w, gw), w, gw), new Shape(gw, w));
    return qh.matMul(y).matMul(qwT);
  }

  /** Row-major n x m matrix Q for one axis, cached. */
  static float[] q(int n, int m) {
    return Q_CACHE.computeIfAbsent(((long) n << 32) | m, k -> computeQ(n, m));
  }

  private static float[] transpose(float[] a, int rows, int cols) {
    float[] t = new float[a.length];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        t[j * rows + i] = a[i * cols + j];
      }
    }
    return t;
  }

  /** Bilinear (half-pixel centres, edge clamped) resampling matrix, out x in, row-major. */
  static double[][] bilinear(int in, int out) {
    double[][] u = new double[out][in];
    double scale = (double) in / out;
    for (int i = 0; i < out; i++) {
      double src = Math.max(0, (i + 0.5) * scale - 0.5);
      int i0 = Math.min((int) Math.floor(src), in - 1);
      int i1 = Math.min(i0 + 1, in - 1);
      double f = src - i0;
      u[i][i0] += 1 - f;
      u[i][i1] += f;
    }
    return u;
  }

  private static float[] computeQ(int n, int m) {
    double[][] u = bilinear(m, n);
    double[][] a = new double[m][m];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < m; j++) {
        double s = 0;
        for (int k = 0; k < n; k++) {
          s += u[k][i] * u[k][j];
        }
        a[i][j] = s;
      }
    }
    double[][] invSqrt = inverseSqrt(a);
    float[] q = new float[n * m];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        double s = 0;
        for (int k = 0; k < m; k++) {
          s += u[i][k] * invSqrt[k][j];
        }
        q[i * m + j] = (float) s;
      }
    }
    return q;
  }

  /** A^-1/2 of a symmetric positive definite matrix by cyclic Jacobi rotations. */
  static double[][] inverseSqrt(double[][] a0) {
    int m = a0.length;
    double[][] a = new double[m][];
    for (int i = 0; i < m; i++) {
      a[i] = a0[i].clone();
    }
    double[][] v = new double[m][m];
    for (int i = 0; i < m; i++) {
      v[i][i] = 1;
    }
    for (int sweep = 0; sweep < 100; sweep++) {
      double off = 0;
      for (int i = 0; i < m; i++) {
        for (int j = i + 1; j < m; j++) {
          off += a[i][j] * a[i][j];
        }
      }
      if (off < 1e-22) {
        break;
      }
      for (int p = 0; p < m; p++) {
        for (int q = p + 1; q < m; q++) {
          if (Math.abs(a[p][q]) < 1e-300) {
            continue;
          }
          double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
          double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          if (theta == 0) {
            t = 1;
          }
          double c = 1 / Math.sqrt(t * t + 1);
          double s = t * c;
          for (int k = 0; k < m; k++) {
            double akp = a[k][p];
            double akq = a[k][q];
            a[k][p] = c * akp - s * akq;
            a[k][q] = s * akp + c * akq;
          }
          for (int k = 0; k < m; k++) {
            double apk = a[p][k];
            double aqk = a[q][k];
            a[p][k] = c * apk - s * aqk;
            a[q][k] = s * apk + c * aqk;
          }
          for (int k = 0; k < m; k++) {
            double vkp = v[k][p];
            double vkq = v[k][q];
            v[k][p] = c * vkp - s * vkq;
            v[k][q] = s * vkp + c * vkq;
          }
        }
      }
    }
    double[][] r = new double[m][m];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < m; j++) {
        double s = 0;
        for (int k = 0; k < m; k++) {
          s += v[i][k] * v[j][k] / Math.sqrt(a[k][k]);
        }
        r[i][j] = s;
      }
    }
    return r;
  }
}
