-- V6: the plugins found at the last start, so that each start can record in the audit log what was added,
-- removed, upgraded or newly refused since.
CREATE TABLE plugin_inventory (
    key      TEXT PRIMARY KEY,
    version  TEXT NOT NULL,
    status   TEXT NOT NULL,
    source   TEXT NOT NULL,
    location TEXT,
    reason   TEXT NOT NULL DEFAULT ''
);
