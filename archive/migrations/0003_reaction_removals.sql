-- A reaction a person took back, and when (sources with one reaction per person: WhatsApp,
-- iMessage). It keeps an older backup imported later from bringing the reaction back; the dump
-- carries it as a reaction with an empty emoji.
CREATE TABLE reaction_removals (
    message_id  INTEGER NOT NULL REFERENCES messages(id),
    sender_id   INTEGER NOT NULL REFERENCES participants(id),
    ts          INTEGER NOT NULL,
    PRIMARY KEY (message_id, sender_id)
) WITHOUT ROWID;
