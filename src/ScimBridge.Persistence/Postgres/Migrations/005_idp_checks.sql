-- IdP source-of-truth checks (docs/idp-checks.md): each run with its report, its findings one row each (so they can be
-- counted and filtered by kind), and per connection the last complete read of the IdP with the directory's cursor.
CREATE TABLE idp_check_runs (
    id         uuid PRIMARY KEY,
    connection text NOT NULL,
    "trigger"  text NOT NULL,
    status     text NOT NULL,                   -- consistent | drift | failed
    findings   integer NOT NULL,
    started    text COLLATE "C" NOT NULL,       -- fixed-width UTC ISO 8601: byte order is time order
    finished   text COLLATE "C" NOT NULL,
    report     jsonb NOT NULL
);
CREATE INDEX ix_idp_check_runs_connection_started ON idp_check_runs (connection, started DESC);
CREATE INDEX ix_idp_check_runs_started ON idp_check_runs (started DESC);

CREATE TABLE idp_check_findings (
    run_id        uuid NOT NULL REFERENCES idp_check_runs (id) ON DELETE CASCADE,
    seq           integer NOT NULL,
    kind          text NOT NULL,
    idp_user_id   text,
    user_name     text,
    scim_user_id  text,
    idp_group_id  text,
    group_name    text,
    scim_group_id text,
    PRIMARY KEY (run_id, seq)
);
CREATE INDEX ix_idp_check_findings_kind ON idp_check_findings (kind, run_id);

CREATE TABLE idp_check_cursors (
    connection text PRIMARY KEY,
    next_cursor text,                          -- the directory's own (a Graph deltaLink JSON for Entra); null for Okta
    idp_view   text NOT NULL,                 -- the IdP's view after that read (IdpViewJson)
    updated    text COLLATE "C" NOT NULL
);
