package wadb

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/chatvault/chatvault/archive"
)

// Add-on types in message_add_on (§4.2, amberkeep).
const (
	addOnReaction = 56
	addOnPollVote = 67
)

// addOns reads reactions and poll votes (message_add_on) and hands them to the archive as updates
// of their message, so a newer backup adds the reactions an older one lacked.
func (r *androidReader) addOns() error {
	if !r.s.hasCols("message_add_on", "_id", "parent_message_row_id") {
		return nil
	}
	parent, chatCol := "message", "p.chat_row_id"
	if r.gen == genLegacy {
		parent, chatCol = "messages", "p.key_remote_jid"
	}
	c := &cols{}
	c.from(r.s.columns("message_add_on"), "a", "_id", "from_me", "sender_jid_row_id", "timestamp", "message_add_on_type", "parent_message_row_id")
	c.add("p.key_id", "p_key_id", true)
	c.add(chatCol, "p_chat", true)
	from := "message_add_on a JOIN " + parent + " p ON p._id = a.parent_message_row_id"
	if r.s.hasCols("message_add_on_reaction", "message_add_on_row_id", "reaction") {
		c.from(r.s.columns("message_add_on_reaction"), "r", "reaction", "sender_timestamp")
		from += " LEFT JOIN message_add_on_reaction r ON r.message_add_on_row_id = a._id"
	} else {
		c.add("", "r_reaction", false)
		c.add("", "r_sender_timestamp", false)
	}
	votes := map[int64][]int64{}
	if r.s.hasCols("message_add_on_poll_vote_selected_option", "message_add_on_row_id", "message_poll_option_id") {
		vc := &cols{}
		vc.from(r.s.columns("message_add_on_poll_vote_selected_option"), "v", "message_add_on_row_id", "message_poll_option_id")
		if err := r.each("SELECT "+vc.list()+" FROM message_add_on_poll_vote_selected_option v", vc, func(row *row) {
			id := row.int("v_message_add_on_row_id")
			if len(votes[id]) < 64 {
				votes[id] = append(votes[id], row.int("v_message_poll_option_id"))
			}
		}); err != nil {
			return fmt.Errorf("table message_add_on_poll_vote_selected_option: %w", err)
		}
	}
	var firstErr error
	err := r.each("SELECT "+c.list()+" FROM "+from+" ORDER BY a._id", c, func(row *row) {
		if firstErr != nil {
			return
		}
		firstErr = r.addOn(row, votes)
	})
	if err != nil {
		return fmt.Errorf("table message_add_on: %w", err)
	}
	return firstErr
}

func (r *androidReader) addOn(row *row, votes map[int64][]int64) error {
	var ch *chat
	if r.gen == genModern {
		ch = r.chatsByID[row.int("p_chat")]
	} else {
		ch = r.chatsJID[bareJID(row.str("p_chat"))]
	}
	key := row.str("p_key_id")
	if ch == nil || key == "" || isStatus(ch.jid) {
		return nil
	}
	convID, err := r.sk.conversation(ch)
	if err != nil {
		return err
	}
	var who int64
	if row.int("a_from_me") == 1 {
		who, err = r.sk.owner()
	} else if j := r.jids[row.int("a_sender_jid_row_id")]; j != "" {
		who, err = r.sk.person(j)
	} else {
		who, err = r.sk.person(ch.jid)
	}
	if err != nil {
		return err
	}
	pos := "message_add_on row " + strconv.FormatInt(row.int("a__id"), 10)
	at := time.UnixMilli(row.int("a_timestamp")).UTC()
	if ts := row.int("r_sender_timestamp"); ts > 0 {
		at = time.UnixMilli(ts).UTC()
	}
	switch row.int("a_message_add_on_type") {
	case addOnReaction:
		// One reaction per person: it replaces the person's earlier one, and an empty one
		// (taken back) removes it. No reaction row at all says nothing.
		if row.get("r_reaction") == nil {
			return nil
		}
		emoji := strings.TrimSpace(row.str("r_reaction"))
		return r.sk.im.Update(archive.Update{ConversationID: convID, Key: "wa:" + key, Pos: pos,
			Reaction: &archive.Reaction{SenderID: who, Emoji: emoji, Time: at, Sole: true}})
	case addOnPollVote:
		opts := r.pollOptions[row.int("a_parent_message_row_id")]
		for _, optID := range votes[row.int("a__id")] {
			i := sort.Search(len(opts), func(i int) bool { return opts[i].id >= optID })
			if i == len(opts) || opts[i].id != optID {
				continue
			}
			if err := r.sk.im.Update(archive.Update{ConversationID: convID, Key: "wa:" + key, Pos: pos,
				Vote: &archive.Vote{VoterID: who, Option: i, Time: at}}); err != nil {
				return err
			}
		}
	}
	return nil
}

// participants records group members (group_participant_user, legacy group_participants).
func (r *androidReader) participants() error {
	add := func(group, user string) error {
		if group == "" || user == "" || isStatus(group) {
			return nil
		}
		ch, ok := r.chatsJID[bareJID(group)]
		if !ok {
			return nil
		}
		conv, err := r.sk.conversation(ch)
		if err != nil {
			return err
		}
		pid, err := r.sk.person(user)
		if err != nil || pid == 0 {
			return err
		}
		return r.sk.member(conv, pid)
	}
	var firstErr error
	if r.s.hasCols("group_participant_user", "group_jid_row_id", "user_jid_row_id") {
		c := &cols{}
		c.from(r.s.columns("group_participant_user"), "g", "group_jid_row_id", "user_jid_row_id")
		err := r.each("SELECT "+c.list()+" FROM group_participant_user g", c, func(row *row) {
			if firstErr == nil {
				firstErr = add(r.jids[row.int("g_group_jid_row_id")], r.jids[row.int("g_user_jid_row_id")])
			}
		})
		if err != nil {
			return fmt.Errorf("table group_participant_user: %w", err)
		}
	} else if r.s.hasCols("group_participants", "gjid", "jid") {
		c := &cols{}
		c.from(r.s.columns("group_participants"), "g", "gjid", "jid")
		err := r.each("SELECT "+c.list()+" FROM group_participants g", c, func(row *row) {
			if firstErr == nil && row.str("g_jid") != "" {
				firstErr = add(row.str("g_gjid"), row.str("g_jid"))
			}
		})
		if err != nil {
			return fmt.Errorf("table group_participants: %w", err)
		}
	}
	return firstErr
}

// callLog imports the calls that live only in call_log (no message row points at them).
func (r *androidReader) callLog() error {
	if !r.s.hasCols("call_log", "_id", "jid_row_id", "timestamp") {
		return nil
	}
	c := &cols{}
	c.from(r.s.columns("call_log"), "cl", "_id", "jid_row_id", "from_me", "call_id", "timestamp", "video_call", "duration", "call_result", "group_jid_row_id")
	where := ""
	if r.s.hasCols("message_call_log", "call_log_row_id") {
		where = " WHERE cl._id NOT IN (SELECT call_log_row_id FROM message_call_log WHERE call_log_row_id IS NOT NULL)"
	}
	var firstErr error
	err := r.each("SELECT "+c.list()+" FROM call_log cl"+where+" ORDER BY cl._id", c, func(row *row) {
		if firstErr == nil {
			firstErr = r.call(row)
		}
	})
	if err != nil {
		return fmt.Errorf("table call_log: %w", err)
	}
	return firstErr
}

func (r *androidReader) call(row *row) error {
	peer := r.jids[row.int("cl_jid_row_id")]
	chatJID := peer
	if g := r.jids[row.int("cl_group_jid_row_id")]; g != "" {
		chatJID = g
	}
	if chatJID == "" {
		return nil
	}
	ch := r.chatFor(chatJID, "")
	convID, err := r.sk.conversation(ch)
	if err != nil {
		return err
	}
	fromMe := row.int("cl_from_me") == 1
	var sender int64
	if fromMe {
		sender, err = r.sk.owner()
	} else {
		sender, err = r.sk.person(peer)
	}
	if err != nil {
		return err
	}
	dur := row.int("cl_duration") * 1000
	id := row.str("cl_call_id")
	if id == "" {
		id = "row-" + strconv.FormatInt(row.int("cl__id"), 10)
	}
	m := &archive.Message{ConversationID: convID, UID: "wa:call:" + id, Kind: archive.KindCall, FromMe: fromMe, SenderID: sender,
		Time: time.UnixMilli(row.int("cl_timestamp")).UTC(), SrcPos: "call_log row " + strconv.FormatInt(row.int("cl__id"), 10), Raw: rawJSON(row),
		Details: &archive.Details{Call: &archive.Call{Video: row.int("cl_video_call") != 0, DurationMS: dur, Missed: dur == 0 && row.int("cl_call_result") != 5}}}
	r.added++
	return r.sk.im.AddMessage(m)
}

func (r *androidReader) notes() {
	im := r.sk.im
	if r.status > 0 {
		im.Note(fmt.Sprintf("%d status updates (status@broadcast, the stories feed) are not a chat: skipped", r.status))
	}
	if r.unknown > 0 {
		var codes []string
		for c, n := range r.unknownCodes {
			codes = append(codes, fmt.Sprintf("%d (%d×)", c, n))
		}
		sort.Strings(codes)
		im.Note(fmt.Sprintf("%d messages of unknown type kept as system messages with their raw rows: types %s", r.unknown, strings.Join(codes, ", ")))
	}
	if r.orphans > 0 {
		im.Note(fmt.Sprintf("%d messages belong to chats no longer in the chat table: kept in \"deleted chat N\" conversations", r.orphans))
	}
	r.sk.noteMissing()
}
