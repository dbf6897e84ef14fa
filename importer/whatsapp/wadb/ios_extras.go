package wadb

import (
	"errors"
	"fmt"

	"github.com/chatvault/chatvault/archive"
)

// receiptCounts are what of the ZRECEIPTINFO blobs could not be used, for the report.
type receiptCounts struct {
	bad        int // blobs that are no protobuf or are cut short
	entries    int // reaction or poll entries of an unknown layout
	noPoll     int // polls (ZMESSAGETYPE 46) whose blob holds no poll
	votesLost  int // votes that name no voter
	reactions  int
	pollsFound int
}

func (c receiptCounts) note(im *archive.Import) {
	if c.bad > 0 {
		im.Note(fmt.Sprintf("%d ZWAMESSAGEINFO.ZRECEIPTINFO blobs could not be read: their reactions and poll votes are not imported (the blobs stay in the messages' raw records)", c.bad))
	}
	if c.entries > 0 {
		im.Note(fmt.Sprintf("%d reaction or poll entries in ZRECEIPTINFO have an unknown layout: not imported (kept in the raw records)", c.entries))
	}
	if c.noPoll > 0 {
		im.Note(fmt.Sprintf("%d polls without their question and options in ZRECEIPTINFO: kept as polls without options", c.noPoll))
	}
	if c.votesLost > 0 {
		im.Note(fmt.Sprintf("%d poll votes name no voter: not imported", c.votesLost))
	}
}

// applyReceipt adds the reactions and the poll of a message's ZRECEIPTINFO blob to m.
func (r *iosReader) applyReceipt(m *archive.Message, d *archive.Details, row *row, pos string) error {
	v := row.get("mi_zreceiptinfo")
	blob, isBlob := v.([]byte)
	if s, ok := v.(string); ok { // a store that typed the column TEXT
		blob, isBlob = []byte(s), true
	}
	if v == nil || (isBlob && len(blob) == 0) {
		if m.Kind == archive.KindPoll {
			r.receipts.noPoll++
			d.Poll = &archive.Poll{Question: m.Text}
		}
		return nil
	}
	var rc receipt
	err := errors.New("a number, not a blob")
	if isBlob {
		rc, err = parseReceipt(blob)
	}
	if err != nil {
		r.receipts.bad++
		r.sk.im.WarnAt(r.where, pos, "ZRECEIPTINFO is not readable (%v): its reactions and votes are not imported", err)
		if m.Kind == archive.KindPoll {
			d.Poll = &archive.Poll{Question: m.Text}
		}
		return nil
	}
	r.receipts.entries += rc.skipped
	// One reaction per person: a later entry of the same person replaces an earlier one.
	latest := map[string]int{}
	var keep []iosReaction
	for _, x := range rc.reactions {
		if i, ok := latest[x.jid]; ok {
			if x.at.Before(keep[i].at) {
				continue
			}
			keep[i] = x
			continue
		}
		latest[x.jid] = len(keep)
		keep = append(keep, x)
	}
	for _, x := range keep {
		who, err := r.reactor(x.jid)
		if err != nil {
			return err
		}
		// Sole: it replaces the person's earlier reaction stored from an older backup; an
		// empty one (taken back) removes it.
		m.Reactions = append(m.Reactions, archive.Reaction{SenderID: who, Emoji: x.emoji, Time: x.at, Sole: true})
		if x.emoji != "" {
			r.receipts.reactions++
		}
	}
	if m.Kind != archive.KindPoll {
		return nil
	}
	if rc.poll == nil {
		r.receipts.noPoll++
		d.Poll = &archive.Poll{Question: m.Text}
		return nil
	}
	r.receipts.pollsFound++
	p := rc.poll
	if p.Question == "" {
		p.Question = m.Text
	}
	if m.Text == "" {
		m.Text = p.Question
	}
	voted := map[int64]bool{}
	for _, v := range rc.votes {
		var who int64
		switch {
		case v.jid != "":
			who, err = r.sk.person(v.jid)
		case v.creator:
			who = m.SenderID
		}
		if err != nil {
			return err
		}
		if who == 0 {
			r.receipts.votesLost++
			continue
		}
		if voted[who] {
			continue // the creator's vote listed twice
		}
		voted[who] = true
		for _, o := range v.options {
			if o < len(p.Options) {
				p.Options[o].Votes++
				m.Votes = append(m.Votes, archive.Vote{VoterID: who, Option: o})
			}
		}
	}
	d.Poll = p
	return nil
}

// reactor is who reacted: the user when the entry names nobody, else the JID's person.
func (r *iosReader) reactor(jid string) (int64, error) {
	if jid == "" {
		return r.sk.owner()
	}
	return r.sk.person(jid)
}
