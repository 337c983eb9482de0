-- ScimBridge schema v1 (PostgreSQL): the same tables as SQLite's 001, with jsonb bodies and a member sequence.
CREATE TABLE connections (
    id            text PRIMARY KEY,
    name          text NOT NULL,
    kind          text NOT NULL,
    secret_hash   bytea,
    jwt_subject   text,
    created       text NOT NULL
);
CREATE UNIQUE INDEX ux_connections_name ON connections (lower(name));
CREATE UNIQUE INDEX ux_connections_secret ON connections (secret_hash) WHERE secret_hash IS NOT NULL;
CREATE UNIQUE INDEX ux_connections_jwt ON connections (jwt_subject) WHERE jwt_subject IS NOT NULL;

CREATE TABLE users (
    seq           bigserial PRIMARY KEY,        -- insertion order: the stable default sort for paging
    id            text NOT NULL UNIQUE,
    connection_id text NOT NULL,
    user_name     text NOT NULL,
    user_name_ci  text NOT NULL,                -- userName folded with ToLowerInvariant: caseExact=false
    external_id   text,
    display_name  text,
    active        boolean,
    body          jsonb NOT NULL,
    version       bigint NOT NULL,
    created       text NOT NULL,                -- fixed-width UTC ISO 8601, so text order is time order
    last_modified text NOT NULL
);
CREATE UNIQUE INDEX ux_users_user_name ON users (connection_id, user_name_ci);
CREATE INDEX ix_users_external_id ON users (connection_id, external_id);
CREATE INDEX ix_users_connection_seq ON users (connection_id, seq);

CREATE TABLE groups (
    seq             bigserial PRIMARY KEY,
    id              text NOT NULL UNIQUE,
    connection_id   text NOT NULL,
    display_name    text NOT NULL,
    display_name_ci text NOT NULL,
    external_id     text,
    body            jsonb NOT NULL,
    version         bigint NOT NULL,
    created         text NOT NULL,
    last_modified   text NOT NULL
);
CREATE UNIQUE INDEX ux_groups_display_name ON groups (connection_id, display_name_ci);
CREATE INDEX ix_groups_external_id ON groups (connection_id, external_id);
CREATE INDEX ix_groups_connection_seq ON groups (connection_id, seq);

CREATE TABLE group_members (
    seq         bigserial NOT NULL,             -- insertion order (SQLite uses its rowid)
    group_id    text NOT NULL,
    member_id   text NOT NULL,
    member_type text NOT NULL,
    PRIMARY KEY (group_id, member_id)
);
CREATE INDEX ix_group_members_member ON group_members (member_id);
