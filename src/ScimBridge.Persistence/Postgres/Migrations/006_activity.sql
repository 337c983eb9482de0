-- Platform activity ingested per target and attributed to the IdP identity at ingest time: the same as SQLite's 006.
-- COLLATE "C" on the keyset columns: byte order, so the listing's order and its cursor comparisons agree with SQLite's.
CREATE TABLE activity_events (
    target              text COLLATE "C" NOT NULL,
    event_id            text COLLATE "C" NOT NULL,
    platform            text NOT NULL,
    occurred_at         text COLLATE "C" NOT NULL,  -- fixed-width UTC ISO 8601: byte order is time order
    action              text NOT NULL,
    actor_platform_id   text,
    actor_email         text,
    actor_key_id        text,
    identity_connection text,
    identity_user_name  text,
    identity_active     boolean,
    ip_address          text,
    user_agent          text,
    deprovisioned       boolean NOT NULL,
    unknown_key         boolean NOT NULL,
    ingested_at         text NOT NULL,
    PRIMARY KEY (target, event_id)
);
CREATE INDEX ix_activity_events_time ON activity_events (occurred_at DESC, target DESC, event_id DESC);
CREATE INDEX ix_activity_events_target_time ON activity_events (target, occurred_at DESC, event_id DESC);

CREATE TABLE activity_cursors (
    target text PRIMARY KEY,
    since  text NOT NULL
);
