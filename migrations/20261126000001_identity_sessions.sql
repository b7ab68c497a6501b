-- Sign-in for the web apps: identity runs the authorization-code flow as their backend, so
-- the refresh tokens stay here and a browser holds only a session cookie.

-- A sign-in between the redirect to the issuer and its return: what the callback needs to
-- finish it. Lives ten minutes; consumed (deleted) by the callback, so a state works once.
create table shared.pending_sign_ins (
    state text primary key,
    pkce_verifier text not null,
    nonce text not null,
    return_to text not null,
    created_at timestamptz not null
);
create index pending_sign_ins_created_at_idx on shared.pending_sign_ins (created_at);

-- A signed-in browser. Only a hash of its cookie is kept: a copy of this table does not
-- let anyone act as its users' browsers.
create table shared.web_sessions (
    id uuid primary key,
    cookie_hash bytea not null constraint web_sessions_cookie_hash_key unique,
    user_id uuid not null references shared.users (id) on delete cascade,
    access_token text not null,
    access_token_expires_at timestamptz not null,
    refresh_token text,
    id_token text,
    created_at timestamptz not null,
    last_used_at timestamptz not null,
    -- The earlier of 30 days after sign-in and 14 days after last use; moved on every use.
    expires_at timestamptz not null
);
create index web_sessions_user_id_idx on shared.web_sessions (user_id);
create index web_sessions_expires_at_idx on shared.web_sessions (expires_at);
