package io.sweeplab.app.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

class OneLineLogsTest {

    final OneLineLogs filter = new OneLineLogs();

    @Test
    void control_characters_in_parameters_and_messages_are_escaped() {
        ExtLogRecord printf = new ExtLogRecord(
                Level.INFO, "SWL-AUDIT-001 %s sign-in-failed", ExtLogRecord.FormatStyle.PRINTF, "test");
        printf.setParameters(new Object[] {"mallory\n12:00:00.000 INFO  [i.s.a.s.JdbcAuditLog] SWL-AUDIT-001 admin"});
        assertThat(filter.isLoggable(printf)).isTrue();
        assertThat(printf.getFormattedMessage())
                .isEqualTo("SWL-AUDIT-001 mallory\\n12:00:00.000 INFO  [i.s.a.s.JdbcAuditLog] SWL-AUDIT-001 admin"
                        + " sign-in-failed")
                .doesNotContain("\n");

        ExtLogRecord plain = new ExtLogRecord(
                Level.WARNING, "a\r\nb\tc\u0000d\u001b[31m", ExtLogRecord.FormatStyle.NO_FORMAT, "test");
        filter.isLoggable(plain);
        assertThat(plain.getFormattedMessage()).isEqualTo("a\\r\\nb\\tc\\u0000d\\u001b[31m");
    }

    @Test
    void messages_without_control_characters_are_left_as_they_are() {
        ExtLogRecord r = new ExtLogRecord(Level.INFO, "run %d of %s", ExtLogRecord.FormatStyle.PRINTF, "test");
        r.setParameters(new Object[] {7, "team-a"});
        filter.isLoggable(r);
        assertThat(r.getFormattedMessage()).isEqualTo("run 7 of team-a");
        assertThat(r.getParameters()).hasSize(2);
        assertThat(OneLineLogs.escape("plain")).isSameAs("plain");
    }
}
