-- Platform activity (audit logs, daily usage) ingested per target and attributed to the IdP identity at ingest time
-- (docs/reports.md, "Activity"). One row per platform event: (target, event_id) is the platform's own id, so the same
-- event read twice is stored once.
CREATE TABLE activity_events (
    target              TEXT NOT NULL,
    event_id            TEXT NOT NULL,
    platform            TEXT NOT NULL,
    occurred_at         TEXT NOT NULL,          -- fixed-width UTC ISO 8601, so text order is time order
    action              TEXT NOT NULL,
    actor_platform_id   TEXT,
    actor_email         TEXT,
    actor_key_id        TEXT,
    identity_connection TEXT,
    identity_user_name  TEXT,
    identity_active     INTEGER CHECK (identity_active IN (0, 1)),
    ip_address          TEXT,
    user_agent          TEXT,
    deprovisioned       INTEGER NOT NULL CHECK (deprovisioned IN (0, 1)),
    unknown_key         INTEGER NOT NULL CHECK (unknown_key IN (0, 1)),
    ingested_at         TEXT NOT NULL,
    PRIMARY KEY (target, event_id)
);
-- Newest first, with (target, event_id) breaking ties: the listing's keyset order, overall and per target.
CREATE INDEX ix_activity_events_time ON activity_events (occurred_at DESC, target DESC, event_id DESC);
CREATE INDEX ix_activity_events_target_time ON activity_events (target, occurred_at DESC, event_id DESC);

-- Where each target's last completed ingestion got to.
CREATE TABLE activity_cursors (
    target TEXT PRIMARY KEY,
    since  TEXT NOT NULL                        -- fixed-width UTC ISO 8601
);
