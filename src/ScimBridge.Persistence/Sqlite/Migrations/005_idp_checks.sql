-- IdP source-of-truth checks (docs/idp-checks.md): each run with its report, its findings one row each (so they can be
-- counted and filtered by kind), and per connection the last complete read of the IdP with the directory's cursor.
CREATE TABLE idp_check_runs (
    id         TEXT PRIMARY KEY,                -- a GUID, "D" format
    connection TEXT NOT NULL,
    "trigger"  TEXT NOT NULL,
    status     TEXT NOT NULL,                   -- consistent | drift | failed
    findings   INTEGER NOT NULL,
    started    TEXT NOT NULL,                   -- fixed-width UTC ISO 8601, so text order is time order
    finished   TEXT NOT NULL,
    report     TEXT NOT NULL CHECK (json_valid(report))
);
CREATE INDEX ix_idp_check_runs_connection_started ON idp_check_runs (connection, started DESC);
CREATE INDEX ix_idp_check_runs_started ON idp_check_runs (started DESC);

CREATE TABLE idp_check_findings (
    run_id        TEXT NOT NULL REFERENCES idp_check_runs (id) ON DELETE CASCADE,
    seq           INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    idp_user_id   TEXT,
    user_name     TEXT,
    scim_user_id  TEXT,
    idp_group_id  TEXT,
    group_name    TEXT,
    scim_group_id TEXT,
    PRIMARY KEY (run_id, seq)
);
CREATE INDEX ix_idp_check_findings_kind ON idp_check_findings (kind, run_id);

CREATE TABLE idp_check_cursors (
    connection TEXT PRIMARY KEY,
    next_cursor TEXT,                          -- the directory's own (a Graph deltaLink JSON for Entra); null for Okta
    idp_view   TEXT NOT NULL,                 -- the IdP's view after that read (IdpViewJson)
    updated    TEXT NOT NULL
);
