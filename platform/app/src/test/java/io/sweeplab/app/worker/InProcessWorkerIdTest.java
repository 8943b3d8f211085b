package io.sweeplab.app.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The embedded worker's id: one per platform instance, the same after a restart of that instance. */
class InProcessWorkerIdTest {

    @Test
    void two_instances_sharing_a_home_on_one_host_get_two_ids_and_a_restart_keeps_its_own() {
        Path shared = Path.of("/srv/sweeplab");
        String a = InProcessWorker.id("node1-8080", shared);
        assertThat(InProcessWorker.id("node1-8081", shared)).isNotEqualTo(a);
        assertThat(InProcessWorker.id("node1-8080", Path.of("/srv/other"))).isNotEqualTo(a);
        assertThat(InProcessWorker.id("node1-8080", Path.of("/srv/./sweeplab"))).isEqualTo(a);
        assertThat(a).startsWith("embedded@node1-8080-");
    }
}
