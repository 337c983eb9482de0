-- Background work (docs/decisions/0006-coordination.md): the same table as PostgreSQL's 002. A claimed item stays
-- 'pending' with a lease (lease_owner, lease_expires) and is claimable again once the lease expires.
CREATE TABLE work_items (
    id            INTEGER PRIMARY KEY,          -- claim order (oldest first)
    kind          TEXT NOT NULL,
    key           TEXT NOT NULL,
    payload       TEXT NOT NULL CHECK (json_valid(payload)),  -- PostgreSQL's jsonb rejects malformed JSON too
    state         TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
    attempts      INTEGER NOT NULL DEFAULT 0,   -- claims so far; also the lease's fencing token
    not_before    TEXT NOT NULL,                -- fixed-width UTC ISO 8601, so text order is time order
    lease_owner   TEXT,
    lease_expires TEXT,
    last_error    TEXT,
    created       TEXT NOT NULL,
    updated       TEXT NOT NULL
);
-- Only pending items are ever claimed; the partial index stays small however many done items pile up.
CREATE INDEX ix_work_items_claim ON work_items (kind, not_before, id) WHERE state = 'pending';
