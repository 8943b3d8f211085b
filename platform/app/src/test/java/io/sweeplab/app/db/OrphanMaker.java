package io.sweeplab.app.db;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/** Run in a JVM of its own: starts an embedded server, writes a row, says READY and waits to be killed. */
public final class OrphanMaker {
    public static void main(String[] args) throws Exception {
        EmbeddedPostgresServer s = EmbeddedPostgresServer.start(Path.of(args[0]), 0);
        try (Connection c = DriverManager.getConnection(s.jdbcUrl(), s.user(), s.password());
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE survived (v TEXT)");
            st.execute("INSERT INTO survived VALUES ('committed before the kill')");
        }
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
