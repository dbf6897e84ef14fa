-- Schema version 1: the chatvault archive.
-- Times are Unix milliseconds (UTC). JSON columns hold kind-specific details.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- One row per import run: which importer read which source, and what it assumed.
CREATE TABLE imports (
    id               INTEGER PRIMARY KEY,
    key              TEXT NOT NULL UNIQUE,     -- stable random id, used by the dump
    started_at       INTEGER NOT NULL,
    finished_at      INTEGER,
    importer         TEXT NOT NULL,
    importer_version TEXT NOT NULL,
    source_path      TEXT NOT NULL,
    source_digest    TEXT NOT NULL DEFAULT '', -- sha256 of the source bytes
    options          TEXT NOT NULL DEFAULT '{}', -- assumptions: time zone, date order, me
    report           TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE conversations (
    id         INTEGER PRIMARY KEY,
    service    TEXT NOT NULL,            -- whatsapp, telegram, wechat, ...
    key        TEXT NOT NULL,            -- native id, or derived from the source when it has none
    title      TEXT NOT NULL,
    kind       TEXT NOT NULL,            -- direct, group, channel, self
    linked_to  INTEGER REFERENCES conversations(id), -- the same chat seen through another source
    details    TEXT NOT NULL DEFAULT '{}',
    UNIQUE (service, key)
);

CREATE TABLE participants (
    id       INTEGER PRIMARY KEY,
    service  TEXT NOT NULL,
    key      TEXT NOT NULL,              -- native id (phone, user id) or the normalised display name
    name     TEXT NOT NULL,
    phone    TEXT NOT NULL DEFAULT '',
    is_me    INTEGER NOT NULL DEFAULT 0,
    details  TEXT NOT NULL DEFAULT '{}',
    UNIQUE (service, key)
);

CREATE TABLE conversation_members (
    conversation_id INTEGER NOT NULL REFERENCES conversations(id),
    participant_id  INTEGER NOT NULL REFERENCES participants(id),
    PRIMARY KEY (conversation_id, participant_id)
) WITHOUT ROWID;

-- AUTOINCREMENT: ids are never reused, so the search index can follow the table by a high-water mark.
CREATE TABLE messages (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id),
    uid             TEXT NOT NULL,       -- identity within the conversation: native id or content key
    ts              INTEGER NOT NULL,    -- the instant, Unix ms UTC
    ts_offset       INTEGER,             -- seconds east of UTC at the source; NULL when unknown
    ts_assumed      INTEGER NOT NULL DEFAULT 0, -- 1 when the offset is an assumption (--tz), not read from the source
    sender_id       INTEGER REFERENCES participants(id),
    from_me         INTEGER NOT NULL DEFAULT 0,
    kind            TEXT NOT NULL,
    text            TEXT NOT NULL DEFAULT '',
    flags           INTEGER NOT NULL DEFAULT 0,
    reply_to        TEXT NOT NULL DEFAULT '', -- uid of the message this one answers
    details         TEXT NOT NULL DEFAULT '',
    import_id       INTEGER NOT NULL REFERENCES imports(id),
    src_pos         TEXT NOT NULL DEFAULT '', -- where in the source: "line 12", "row 4411"
    raw             TEXT NOT NULL DEFAULT '', -- the original record, for re-deriving fields later
    UNIQUE (conversation_id, uid)
);
CREATE INDEX messages_by_time ON messages (conversation_id, ts);

CREATE TABLE attachments (
    id          INTEGER PRIMARY KEY,
    message_id  INTEGER NOT NULL REFERENCES messages(id),
    ord         INTEGER NOT NULL,
    kind        TEXT NOT NULL,           -- photo, video, audio, voice, document, sticker, gif, contact
    file_name   TEXT NOT NULL DEFAULT '',
    mime        TEXT NOT NULL DEFAULT '',
    size        INTEGER NOT NULL DEFAULT 0,
    sha256      TEXT,                    -- NULL when the file is missing (media omitted from the export)
    details     TEXT NOT NULL DEFAULT '',
    UNIQUE (message_id, ord)
);
CREATE INDEX attachments_by_media ON attachments (sha256) WHERE sha256 IS NOT NULL;

CREATE TABLE reactions (
    message_id  INTEGER NOT NULL REFERENCES messages(id),
    sender_id   INTEGER NOT NULL REFERENCES participants(id),
    emoji       TEXT NOT NULL,
    ts          INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (message_id, sender_id, emoji)
) WITHOUT ROWID;

-- The media store's index: every file under media/ that the archive knows.
CREATE TABLE media (
    sha256  TEXT PRIMARY KEY,
    size    INTEGER NOT NULL,
    mime    TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

-- What changed since the last backup: one row per conversation and month (UTC) of messages.
-- changed_at moves forward whenever the month's messages change; digest and size describe the
-- month's dump file as of digest_of (== changed_at when current). The backup regenerates only
-- months whose digest is stale, so an unchanged month costs nothing.
CREATE TABLE dump_months (
    conversation_id INTEGER NOT NULL REFERENCES conversations(id),
    month           TEXT NOT NULL,       -- YYYY-MM
    changed_at      INTEGER NOT NULL,
    digest          TEXT NOT NULL DEFAULT '',
    size            INTEGER NOT NULL DEFAULT 0,
    digest_of       INTEGER NOT NULL DEFAULT 0,
    messages        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (conversation_id, month)
) WITHOUT ROWID;
