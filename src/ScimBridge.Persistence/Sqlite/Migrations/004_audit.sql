-- The audit trail (docs/audit.md, docs/decisions/0011-audit-trail.md): the same as PostgreSQL's 004.
-- audit_events is append-only: rows are only inserted (by the audit writer) and deleted as a prefix (by retention).
CREATE TABLE audit_events (
    seq           INTEGER PRIMARY KEY,          -- 1, 2, 3… in chain order
    occurred      TEXT NOT NULL,                -- fixed-width UTC ISO 8601 (text order is time order); hashed as stored
    kind          TEXT NOT NULL,
    actor         TEXT,
    connection    TEXT,
    target        TEXT,
    resource_type TEXT,
    resource_id   TEXT,
    action        TEXT,
    outcome       TEXT NOT NULL,
    request_id    TEXT,
    details       TEXT,                         -- a JSON object as text, hashed byte for byte
    prev_hash     TEXT NOT NULL,                -- hex SHA-256 of event seq-1 (or the base)
    hash          TEXT NOT NULL                 -- hex SHA-256(prev_hash || canonical bytes)
);
-- Filters page newest first by seq. Every index is paid for by every SCIM request's event, so the partial ones leave
-- those out where they can: SCIM events have no target or actor; a kind filter for scim.request (most rows) reads the
-- table by seq anyway; and reads are left out of the resource index, whose random ids made it the dearest insert on the
-- GET path (ADR 0011). The store repeats each index's condition verbatim in its query so both planners use the index.
CREATE INDEX ix_audit_events_occurred ON audit_events (occurred);
CREATE INDEX ix_audit_events_kind ON audit_events (kind, seq) WHERE kind <> 'scim.request';
CREATE INDEX ix_audit_events_connection ON audit_events (connection, seq) WHERE connection IS NOT NULL;
CREATE INDEX ix_audit_events_target ON audit_events (target, seq) WHERE target IS NOT NULL;
CREATE INDEX ix_audit_events_actor ON audit_events (actor, seq) WHERE actor IS NOT NULL;
CREATE INDEX ix_audit_events_resource ON audit_events (resource_id, seq) WHERE action NOT IN ('read', 'list', 'search');

-- One row: the chain's base (the last pruned event, or 0 and the genesis hash) and head (the last appended event).
-- Appenders lock this row, so concurrent writers (replicas on PostgreSQL) extend one linear chain.
CREATE TABLE audit_chain (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    base_seq  INTEGER NOT NULL,
    base_hash TEXT NOT NULL,
    head_seq  INTEGER NOT NULL,
    head_hash TEXT NOT NULL
);
INSERT INTO audit_chain (id, base_seq, base_hash, head_seq, head_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', 0, '0000000000000000000000000000000000000000000000000000000000000000');
