package io.sweeplab.client.dl4j;

import io.sweeplab.client.RunStatus;
import io.sweeplab.client.SweeplabClient;
import io.sweeplab.client.SweeplabRun;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Tracks the training of any {@link MultiLayerNetwork} or {@link ComputationGraph} as one run:
 *
 * <pre>{@code
 * var tracking = SweeplabListener.start(SweeplabClient.builder().build(), "vision/fashion", "dense 128");
 * net.setListeners(tracking);
 * net.fit(train, 10);
 * tracking.finish();
 * }</pre>
 *
 * <p>What it logs: at the first iteration, the network's configuration as params (see {@link ModelDescription}:
 * model class, number of params, batch size, updater and learning rate, each layer's type, sizes, activation and
 * loss) and its {@code summary()} as the artifact {@value #SUMMARY}; every iteration the metric {@code loss} (the
 * minibatch score, step = the iteration); every epoch {@code epoch_loss} (the mean of its iterations' losses) and,
 * with a validation iterator, {@code val_loss} and {@code val_accuracy}, at step = the epoch's number counted from 1
 * as Sweeplab counts epochs; at {@link #finish()} the model (ModelSerializer zip with its updater state) as the
 * artifact {@value #CHECKPOINT} and the status {@code FINISHED}.
 *
 * <p>Logging is queued (see {@link SweeplabClient}): the training thread never waits for the network. Only starting
 * (it needs the run's id) and {@link #finish()} (it waits, for the client's flush timeout, until everything is sent)
 * talk to the server. A failure of the listener is logged and never fails the training.
 */
public final class SweeplabListener extends BaseTrainingListener implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SweeplabListener.class.getName());

    /** The artifact path of the model's summary. */
    public static final String SUMMARY = "model_summary.txt";

    /** The artifact path of the final checkpoint. */
    public static final String CHECKPOINT = "model/model.zip";

    private final SweeplabRun run;
    private final DataSetIterator validation;
    private final boolean checkpoint;
    private final Map<String, ?> extraParams;
    private Model model;
    private double epochLossSum;
    private int epochIterations;
    private boolean ended;
    private boolean warned;

    private SweeplabListener(Builder b) {
        this.run = b.client.startRun(b.client.experimentId(b.experiment), b.runName, b.tags);
        this.validation = b.validation;
        this.checkpoint = b.checkpoint;
        this.extraParams = b.params;
    }

    /**
     * Finds or creates the experiment ({@code <team-slug>/<name>} on Sweeplab) and starts a run in it.
     *
     * @param runName the run's name, or null for one the server picks
     * @throws io.sweeplab.client.SweeplabException when the server refuses (or cannot be reached)
     */
    public static SweeplabListener start(SweeplabClient client, String experiment, String runName) {
        return builder(client, experiment).runName(runName).start();
    }

    /** For a validation iterator, tags, more params, or no checkpoint. */
    public static Builder builder(SweeplabClient client, String experiment) {
        return new Builder(client, experiment);
    }

    /** The run this listener logs to, for what else the program wants to log. */
    public SweeplabRun run() {
        return run;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        guard(() -> {
            if (this.model == null) {
                started(model);
            }
            this.model = model;
            double loss = model.score();
            run.logMetric("loss", loss, iteration);
            epochLossSum += loss;
            epochIterations++;
        });
    }

    @Override
    public void onEpochEnd(Model model) {
        guard(() -> {
            this.model = model;
            long step = epochCount(model) + 1; // DL4J counts the epoch that just ended after this call
            if (epochIterations > 0) {
                run.logMetric("epoch_loss", epochLossSum / epochIterations, step);
            }
            epochLossSum = 0;
            epochIterations = 0;
            if (validation != null) {
                validate(model, step);
            }
        });
    }

    /**
     * Uploads the final checkpoint and ends the run {@code FINISHED}, waiting (for the client's flush timeout) until
     * all is sent. Does nothing the second time.
     *
     * @return whether everything went in the time
     * @throws io.sweeplab.client.SweeplabException what the server refused during the run
     */
    public boolean finish() {
        return end(RunStatus.FINISHED);
    }

    /** Ends the run {@code FAILED} (with the cause as the tag {@code error}), after its checkpoint. */
    public boolean fail(Throwable cause) {
        if (!ended) {
            run.setTag("error", String.valueOf(cause));
        }
        return end(RunStatus.FAILED);
    }

    /** {@link #finish()}, so that try-with-resources ends the run. */
    @Override
    public void close() {
        finish();
    }

    private boolean end(RunStatus status) {
        if (ended) {
            return true;
        }
        ended = true;
        Path file = null;
        if (checkpoint && model != null) {
            try {
                file = Files.createTempFile("sweeplab-checkpoint", ".zip");
                ModelSerializer.writeModel(model, file.toFile(), true);
                run.logArtifact(file, CHECKPOINT);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "SWL-CLIENT-005 could not save the final checkpoint: {0}", e.toString());
            }
        }
        boolean done = false;
        try {
            done = run.end(status);
            return done;
        } finally {
            if (file != null && done) {
                tryDelete(file);
            } else if (file != null) {
                file.toFile().deleteOnExit(); // the upload may still be under way
            }
        }
    }

    private void tryDelete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // deleted on exit
        }
    }

    private void started(Model model) {
        Map<String, Object> params = new LinkedHashMap<>(ModelDescription.params(model));
        try {
            int batch = model.batchSize();
            if (batch > 0) {
                params.put("batch_size", batch);
            }
        } catch (RuntimeException notKnown) {
            // a graph without its input set: no batch size
        }
        params.putAll(extraParams);
        run.logParams(params);
        String summary = model instanceof MultiLayerNetwork net
                ? net.summary()
                : model instanceof ComputationGraph graph ? graph.summary() : model.toString();
        run.logArtifact(SUMMARY, summary.getBytes(StandardCharsets.UTF_8));
    }

    private void validate(Model model, long step) {
        validation.reset();
        Evaluation eval = model instanceof MultiLayerNetwork net
                ? net.evaluate(validation)
                : ((ComputationGraph) model).evaluate(validation);
        validation.reset();
        double lossSum = 0;
        long examples = 0;
        while (validation.hasNext()) {
            DataSet batch = validation.next();
            int n = batch.numExamples();
            double loss = model instanceof MultiLayerNetwork net
                    ? net.score(batch, false)
                    : ((ComputationGraph) model).score(batch, false);
            lossSum += loss * n;
            examples += n;
        }
        validation.reset();
        run.logMetric("val_accuracy", eval.accuracy(), step);
        if (examples > 0) {
            run.logMetric("val_loss", lossSum / examples, step);
        }
    }

    private static int epochCount(Model model) {
        if (model instanceof MultiLayerNetwork net) {
            return net.getLayerWiseConfigurations().getEpochCount();
        }
        if (model instanceof ComputationGraph graph) {
            return graph.getConfiguration().getEpochCount();
        }
        return 0;
    }

    /** Runs a callback's work; a failure is logged once and training goes on. */
    private void guard(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            if (!warned) {
                warned = true;
                LOG.log(
                        Level.WARNING,
                        "SWL-CLIENT-006 the tracking listener failed, training goes on without it logging this: {0}",
                        e.toString());
            }
        }
    }

    /** What to track besides the defaults. */
    public static final class Builder {

        private final SweeplabClient client;
        private final String experiment;
        private String runName;
        private Map<String, String> tags = Map.of();
        private Map<String, ?> params = Map.of();
        private DataSetIterator validation;
        private boolean checkpoint = true;

        private Builder(SweeplabClient client, String experiment) {
            this.client = Objects.requireNonNull(client, "client");
            this.experiment = Objects.requireNonNull(experiment, "experiment");
        }

        public Builder runName(String runName) {
            this.runName = runName;
            return this;
        }

        public Builder tags(Map<String, String> tags) {
            this.tags = Map.copyOf(tags);
            return this;
        }

        /** Params of the program's own (the data, the seed of its shuffling) beside those of the network. */
        public Builder params(Map<String, ?> params) {
            this.params = Map.copyOf(params);
            return this;
        }

        /** Data to measure {@code val_loss} and {@code val_accuracy} on after every epoch (on the training thread). */
        public Builder validation(DataSetIterator validation) {
            this.validation = validation;
            return this;
        }

        /** Whether {@link #finish()} uploads the model; default true. */
        public Builder checkpoint(boolean checkpoint) {
            this.checkpoint = checkpoint;
            return this;
        }

        /** Finds or creates the experiment and starts the run. */
        public SweeplabListener start() {
            return new SweeplabListener(this);
        }
    }
}
