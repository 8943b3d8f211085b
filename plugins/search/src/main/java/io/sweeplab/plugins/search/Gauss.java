package io.sweeplab.plugins.search;

/**
 * The standard normal distribution in log space, precise far into the tails (a Parzen estimator compares densities
 * many standard deviations from a kernel's centre).
 */
final class Gauss {

    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
    private static final double SQRT2 = Math.sqrt(2);

    private Gauss() {}

    /** The log density of the standard normal at {@code z}. */
    static double logDensity(double z) {
        return -0.5 * z * z - LOG_SQRT_2PI;
    }

    /** {@code log(Phi(b) - Phi(a))}, the log probability of {@code [a, b]} under the standard normal. */
    static double logMass(double a, double b) {
        if (!(a < b)) {
            return Double.NEGATIVE_INFINITY;
        }
        if (a > 0) {
            return logMass(-b, -a);
        }
        double mid = 0.5 * (a + b);
        double width = b - a;
        if (width * (1 + Math.abs(mid)) < 1e-2) {
            // a narrow interval: the midpoint rule, exact to a few parts in a million, where the difference of two
            // close cumulative values would lose its digits
            return Math.log(width) + logDensity(mid);
        }
        if (b <= 0) {
            double lb = logCdf(b);
            return lb + Math.log1p(-Math.exp(logCdf(a) - lb));
        }
        return Math.log1p(-0.5 * erfc(-a / SQRT2) - 0.5 * erfc(b / SQRT2));
    }

    /** {@code log Phi(z)}. */
    static double logCdf(double z) {
        return z < 0 ? Math.log(0.5) + logErfc(-z / SQRT2) : Math.log1p(-0.5 * erfc(z / SQRT2));
    }

    static double erfc(double x) {
        return x >= 0 ? Math.exp(logErfc(x)) : 2 - Math.exp(logErfc(-x));
    }

    /**
     * {@code log erfc(x)} for {@code x >= 0}, from the Chebyshev fit of {@code erfc(x) exp(x^2)} (fractional error
     * below 1.2e-7 for every {@code x}), so it never underflows.
     */
    private static double logErfc(double x) {
        double t = 1 / (1 + 0.5 * x);
        double poly = -1.26551223
                + t
                        * (1.00002368
                                + t
                                        * (0.37409196
                                                + t
                                                        * (0.09678418
                                                                + t
                                                                        * (-0.18628806
                                                                                + t
                                                                                        * (0.27886807
                                                                                                + t
                                                                                                        * (-1.13520398
                                                                                                                + t
                                                                                                                        * (1.48851587
                                                                                                                                + t
                                                                                                                                        * (-0.82215223
                                                                                                                                                + t
                                                                                                                                                        * 0.17087277))))))));
        return Math.log(t) - x * x + poly;
    }
}
