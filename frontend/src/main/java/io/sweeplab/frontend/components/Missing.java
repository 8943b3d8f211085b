package io.sweeplab.frontend.components;

import com.vaadin.flow.component.HasComponents;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;

/** What a page of one object shows when the object does not exist or is another team's (the same words for both). */
public final class Missing {

    private Missing() {}

    /** Replaces the page's content: "No such {kind}", and a way back to the sweeps. */
    public static void show(HasComponents page, String kind, String id) {
        page.removeAll();
        page.add(
                new H2("No such " + kind),
                new Paragraph("There is no " + kind + " " + id + " in your teams."),
                new Anchor("sweeps", "All sweeps"));
    }
}
