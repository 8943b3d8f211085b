package io.sweeplab.frontend.audit;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.sweeplab.core.access.AuditLog;
import io.sweeplab.frontend.layout.MainLayout;
import io.sweeplab.frontend.security.CurrentUser;
import jakarta.annotation.security.RolesAllowed;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** The newest 500 entries of the audit log (administrators). */
@Route(value = "audit", layout = MainLayout.class)
@PageTitle("Audit log · Sweeplab")
@RolesAllowed("admin")
public class AuditView extends VerticalLayout {

    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    public AuditView(AuditLog audit) {
        setSizeFull();
        CurrentUser.require().requireAdmin();
        Grid<AuditLog.Entry> grid = new Grid<>(AuditLog.Entry.class, false);
        grid.setId("audit-grid");
        grid.addColumn(e -> WHEN.format(e.at())).setHeader("When").setAutoWidth(true);
        grid.addColumn(AuditLog.Entry::actor).setHeader("Who").setAutoWidth(true);
        grid.addColumn(AuditLog.Entry::action).setHeader("Action").setAutoWidth(true);
        grid.addColumn(e -> e.team() == null ? "" : e.team()).setHeader("Team").setAutoWidth(true);
        grid.addColumn(e -> e.target() == null ? "" : e.target())
                .setHeader("Target")
                .setAutoWidth(true);
        grid.addColumn(e -> e.details().toString()).setHeader("Details").setFlexGrow(1);
        grid.addColumn(e -> e.address() == null ? "" : e.address())
                .setHeader("From")
                .setAutoWidth(true);
        grid.setItems(audit.entries(null, 500));
        add(new H2("Audit log"), grid);
    }
}
