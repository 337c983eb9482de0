-- The identity outbox (docs/decisions/0009-outbox.md) and what reconciliation remembers between runs.

-- Outbox items a SCIM write queues are "mergeable": while such an item is pending and no worker has claimed it yet
-- (attempts = 0), a later change about the same kind and key updates its payload instead of adding a second item, so a
-- burst of PATCHes on one user makes one item. Items queued through IWorkQueue.EnqueueAsync stay plain inserts. An
-- item once claimed (leased, or released for a retry) leaves the index, so the next change gets an item of its own.
ALTER TABLE work_items ADD COLUMN mergeable boolean NOT NULL DEFAULT false;
CREATE UNIQUE INDEX ux_work_items_merge ON work_items (kind, key) WHERE state = 'pending' AND attempts = 0 AND mergeable;

-- Who reconciliation has granted access to on each target, by the lower-cased email the platform knows them by.
CREATE TABLE managed_access (
    target        text NOT NULL,
    email         text NOT NULL,
    identity_id   text NOT NULL,
    connection_id text NOT NULL,
    since         text NOT NULL,                -- first managed; fixed-width UTC ISO 8601
    PRIMARY KEY (target, email)
);

CREATE TABLE reconcile_runs (
    id        uuid PRIMARY KEY,
    target    text NOT NULL,
    "trigger" text NOT NULL,
    dry_run   boolean NOT NULL,
    status    text NOT NULL,
    started   text COLLATE "C" NOT NULL,        -- fixed-width UTC ISO 8601: byte order is time order
    finished  text COLLATE "C",
    report    jsonb NOT NULL
);
CREATE INDEX ix_reconcile_runs_target_started ON reconcile_runs (target, started DESC);
CREATE INDEX ix_reconcile_runs_started ON reconcile_runs (started DESC);
