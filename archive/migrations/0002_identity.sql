-- Schema version 2: identity across sources, and updates to stored messages.

-- How much a source knows: a richer source's fields win, a poorer one never downgrades them.
-- Text exports are 10, app databases 20 (see archive.Rank*).
ALTER TABLE imports ADD COLUMN rank INTEGER NOT NULL DEFAULT 10;
-- The rank of the source that last set a conversation's title and kind.
ALTER TABLE conversations ADD COLUMN rank INTEGER NOT NULL DEFAULT 10;
-- Which ranks of source the conversation holds messages from (bit rank/10), so an import can
-- tell without a scan whether its messages may already be there under another source's keys.
ALTER TABLE conversations ADD COLUMN message_ranks INTEGER NOT NULL DEFAULT 0;
UPDATE conversations SET message_ranks = 2 WHERE EXISTS (SELECT 1 FROM messages WHERE conversation_id = conversations.id);

-- More names for a conversation: the same chat seen through another source ("export:alice"
-- from a text export, "jid:491511234@s.whatsapp.net" from a database). An import that names
-- any of them lands in that conversation. import_id says which import made the link.
CREATE TABLE conversation_ids (
    service         TEXT NOT NULL,
    ident           TEXT NOT NULL,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id),
    import_id       INTEGER NOT NULL REFERENCES imports(id),
    PRIMARY KEY (service, ident)
) WITHOUT ROWID;

-- More identifiers for a participant: phone:+49..., jid:..., lid:..., wxid:..., tg:user123.
CREATE TABLE participant_ids (
    service        TEXT NOT NULL,
    ident          TEXT NOT NULL,
    participant_id INTEGER NOT NULL REFERENCES participants(id),
    import_id      INTEGER NOT NULL REFERENCES imports(id),
    PRIMARY KEY (service, ident)
) WITHOUT ROWID;

-- A message's other keys besides messages.uid (which is its best one: a native id when any
-- source had it): the content key a text export gave it, the native id of another source.
CREATE TABLE message_keys (
    conversation_id INTEGER NOT NULL REFERENCES conversations(id),
    key             TEXT NOT NULL,
    message_id      INTEGER NOT NULL REFERENCES messages(id),
    import_id       INTEGER NOT NULL REFERENCES imports(id),
    PRIMARY KEY (conversation_id, key)
) WITHOUT ROWID;
CREATE INDEX message_keys_by_message ON message_keys (message_id);

-- Every other source that held a message: its place and raw record there, so a later importer
-- can re-derive fields from any of them.
CREATE TABLE message_sources (
    message_id INTEGER NOT NULL REFERENCES messages(id),
    import_id  INTEGER NOT NULL REFERENCES imports(id),
    src_pos    TEXT NOT NULL DEFAULT '',
    raw        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (message_id, import_id)
) WITHOUT ROWID;

-- Earlier texts of an edited message, oldest first by ts (when that text was current from).
CREATE TABLE revisions (
    message_id INTEGER NOT NULL REFERENCES messages(id),
    ts         INTEGER NOT NULL,
    text       TEXT NOT NULL,
    import_id  INTEGER NOT NULL REFERENCES imports(id),
    PRIMARY KEY (message_id, ts, text)
) WITHOUT ROWID;

-- Poll votes: who chose which option (by index into the poll's options).
CREATE TABLE poll_votes (
    message_id INTEGER NOT NULL REFERENCES messages(id),
    voter_id   INTEGER NOT NULL REFERENCES participants(id),
    option     INTEGER NOT NULL,
    ts         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (message_id, voter_id, option)
) WITHOUT ROWID;

-- A reaction whose sender the source does not name (sender_id 0) carries a count instead.
ALTER TABLE reactions ADD COLUMN count INTEGER NOT NULL DEFAULT 1;
