package io.sweeplab.app.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which configuration names under a launcher's prefix are keys it does not know. */
class LauncherKeysTest {

    static final Set<String> KNOWN = Set.of("enabled", "max-workers", "memory-mb", "gpu-partition");

    @Test
    void keys_given_as_environment_variables_are_the_known_keys_they_spell() {
        // SmallRye lists SWEEPLAB_LAUNCHERS_SLURM_MAX_WORKERS as sweeplab.launchers.slurm.max.workers
        assertThat(LauncherRunner.unknownKeys(
                        "sweeplab.launchers.slurm.",
                        List.of(
                                "sweeplab.launchers.slurm.enabled",
                                "sweeplab.launchers.slurm.max.workers",
                                "sweeplab.launchers.slurm.memory.mb",
                                "sweeplab.launchers.slurm.gpu.partition",
                                "sweeplab.launchers.kubernetes.image",
                                "quarkus.http.port"),
                        KNOWN))
                .isEmpty();
    }

    @Test
    void a_misspelt_key_is_unknown_in_either_spelling() {
        assertThat(LauncherRunner.unknownKeys(
                        "sweeplab.launchers.slurm.",
                        List.of("sweeplab.launchers.slurm.partitoin", "sweeplab.launchers.slurm.max.wrokers"),
                        KNOWN))
                .containsExactly("max.wrokers", "partitoin");
    }
}
