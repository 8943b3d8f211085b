package io.sweeplab.engine;

/**
 * What one thread's part of a forward or backward pass knows beyond its buffers: whether it trains, which images of
 * the batch its slice holds, the batch size, the optimiser step (dropout masks are drawn from the seed, the step and
 * the image's place in the batch, so they do not depend on the thread count and a resumed run draws the same ones),
 * and the {@link Sync} through which batch normalisation sums over the whole batch.
 */
record Pass(boolean training, int thread, int first, int batch, long step, long seed, Sync sync) {}
