-- Background work shared by the replicas (docs/decisions/0006-coordination.md). A claimed item stays 'pending' with
-- a lease (lease_owner, lease_expires); it is claimable again once the lease expires, so a dead worker's item is
-- picked up by another replica. Done and failed items stay for inspection.
CREATE TABLE work_items (
    id            bigserial PRIMARY KEY,        -- claim order (oldest first)
    kind          text NOT NULL,
    key           text NOT NULL,
    payload       jsonb NOT NULL,
    state         text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
    attempts      integer NOT NULL DEFAULT 0,   -- claims so far; also the lease's fencing token
    -- Fixed-width UTC ISO 8601 from the replicas' TimeProvider. COLLATE "C": compared byte by byte, whatever the
    -- database's default collation.
    not_before    text COLLATE "C" NOT NULL,
    lease_owner   text,
    lease_expires text COLLATE "C",
    last_error    text,
    created       text NOT NULL,
    updated       text NOT NULL
);
-- Only pending items are ever claimed; the partial index stays small however many done items pile up.
CREATE INDEX ix_work_items_claim ON work_items (kind, not_before, id) WHERE state = 'pending';
