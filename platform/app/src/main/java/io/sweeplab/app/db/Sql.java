package io.sweeplab.app.db;

import java.sql.SQLException;

/** PostgreSQL error codes the stores translate into domain errors. */
public final class Sql {
    private Sql() {}

    /** SQLSTATE 23505: a unique constraint refused the row. */
    public static boolean isUniqueViolation(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            if ("23505".equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
