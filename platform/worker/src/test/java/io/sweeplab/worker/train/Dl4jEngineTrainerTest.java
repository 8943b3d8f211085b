package io.sweeplab.worker.train;

/** The trainer's tests on DL4J's own engine, the fallback for configurations the fast engine does not run. */
class Dl4jEngineTrainerTest extends TrainerTest {

    @Override
    String engine() {
        return "dl4j";
    }
}
