-- ScimBridge schema v1 (SQLite). Filterable attributes live in indexed columns beside the canonical JSON body;
-- group members live in their own table so one member add costs the same for any group size.
CREATE TABLE connections (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    kind          TEXT NOT NULL,
    secret_hash   BLOB,
    jwt_subject   TEXT,
    created       TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_connections_name ON connections (name COLLATE NOCASE);
CREATE UNIQUE INDEX ux_connections_secret ON connections (secret_hash) WHERE secret_hash IS NOT NULL;
CREATE UNIQUE INDEX ux_connections_jwt ON connections (jwt_subject) WHERE jwt_subject IS NOT NULL;

CREATE TABLE users (
    seq           INTEGER PRIMARY KEY,          -- insertion order: the stable default sort for paging
    id            TEXT NOT NULL UNIQUE,
    connection_id TEXT NOT NULL,
    user_name     TEXT NOT NULL,
    user_name_ci  TEXT NOT NULL,                -- userName folded with ToLowerInvariant: caseExact=false
    external_id   TEXT,
    display_name  TEXT,
    active        INTEGER,
    body          TEXT NOT NULL,
    version       INTEGER NOT NULL,
    created       TEXT NOT NULL,
    last_modified TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_users_user_name ON users (connection_id, user_name_ci);
CREATE INDEX ix_users_external_id ON users (connection_id, external_id);
CREATE INDEX ix_users_connection_seq ON users (connection_id, seq);

CREATE TABLE groups (
    seq             INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    connection_id   TEXT NOT NULL,
    display_name    TEXT NOT NULL,
    display_name_ci TEXT NOT NULL,
    external_id     TEXT,
    body            TEXT NOT NULL,
    version         INTEGER NOT NULL,
    created         TEXT NOT NULL,
    last_modified   TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_groups_display_name ON groups (connection_id, display_name_ci);
CREATE INDEX ix_groups_external_id ON groups (connection_id, external_id);
CREATE INDEX ix_groups_connection_seq ON groups (connection_id, seq);

CREATE TABLE group_members (
    group_id    TEXT NOT NULL,
    member_id   TEXT NOT NULL,
    member_type TEXT NOT NULL,                  -- 'User' or 'Group'
    PRIMARY KEY (group_id, member_id)
);
CREATE INDEX ix_group_members_member ON group_members (member_id);
