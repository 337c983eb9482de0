-- The identity outbox (docs/decisions/0009-outbox.md) and what reconciliation remembers between runs: the same as
-- PostgreSQL's 003.

-- While a mergeable item is pending and unclaimed (attempts = 0), a later change with the same kind and key updates
-- its payload instead of adding a second item; once claimed it leaves the index and the next change gets its own.
ALTER TABLE work_items ADD COLUMN mergeable INTEGER NOT NULL DEFAULT 0 CHECK (mergeable IN (0, 1));
CREATE UNIQUE INDEX ux_work_items_merge ON work_items (kind, key) WHERE state = 'pending' AND attempts = 0 AND mergeable = 1;

CREATE TABLE managed_access (
    target        TEXT NOT NULL,
    email         TEXT NOT NULL,                -- lower-cased
    identity_id   TEXT NOT NULL,
    connection_id TEXT NOT NULL,
    since         TEXT NOT NULL,                -- first managed; fixed-width UTC ISO 8601
    PRIMARY KEY (target, email)
);

CREATE TABLE reconcile_runs (
    id        TEXT PRIMARY KEY,                 -- a GUID, "D" format
    target    TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    dry_run   INTEGER NOT NULL,
    status    TEXT NOT NULL,
    started   TEXT NOT NULL,                    -- fixed-width UTC ISO 8601, so text order is time order
    finished  TEXT,
    report    TEXT NOT NULL CHECK (json_valid(report))
);
CREATE INDEX ix_reconcile_runs_target_started ON reconcile_runs (target, started DESC);
CREATE INDEX ix_reconcile_runs_started ON reconcile_runs (started DESC);
