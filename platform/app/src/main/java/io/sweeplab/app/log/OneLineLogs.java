package io.sweeplab.app.log;

import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Every log message is one line: control characters in it (a newline in a user name, a team's name, a request's
 * path) are written escaped, {@code \n} as the two characters backslash and n, so no input can forge a log line
 * or hide one. Installed on the log handlers by {@code quarkus.log.console.filter} and
 * {@code quarkus.log.file.filter}; a stack trace is the throwable's, printed after the message, and is left alone.
 */
@LoggingFilter(name = OneLineLogs.NAME)
public final class OneLineLogs implements Filter {

    public static final String NAME = "sweeplab-one-line";

    @Override
    public boolean isLoggable(LogRecord record) {
        if (record instanceof ExtLogRecord r) {
            String message = r.getFormattedMessage();
            String escaped = escape(message);
            if (escaped != message) {
                r.setParameters(null);
                r.setMessage(escaped, ExtLogRecord.FormatStyle.NO_FORMAT);
            }
        } else if (record.getParameters() == null || record.getParameters().length == 0) {
            record.setMessage(escape(record.getMessage()));
        }
        return true;
    }

    /** @return the same instance when there is nothing to escape */
    public static String escape(String text) {
        if (text == null || text.chars().noneMatch(c -> c < 0x20 || c == 0x7f)) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
