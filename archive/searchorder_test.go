package archive

import (
	"context"
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"testing"
	"time"
)

type timedText struct {
	at   time.Time
	text string
}

// importTimed imports one export of chat conv and returns the chat's id.
func importTimed(t *testing.T, a *Archive, conv, uidPrefix string, msgs []timedText) int64 {
	t.Helper()
	ctx := context.Background()
	im, err := a.BeginImport(ctx, ImportInfo{Importer: "test", ImporterVersion: "1", SourcePath: conv + uidPrefix})
	if err != nil {
		t.Fatal(err)
	}
	cid, err := im.Conversation(Conversation{Service: "test", Key: conv, Title: conv, Kind: ConvGroup})
	if err != nil {
		t.Fatal(err)
	}
	pid, err := im.Participant(Participant{Service: "test", Key: "alice", Name: "Alice"})
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range msgs {
		if err := im.AddMessage(&Message{ConversationID: cid, UID: fmt.Sprintf("%s%06d", uidPrefix, i), Time: m.at,
			SenderID: pid, Kind: KindText, Text: m.text, Raw: m.text, SrcPos: fmt.Sprintf("line %d", i+1)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := im.Commit(); err != nil {
		t.Fatal(err)
	}
	return cid
}

func hitTexts(hits []Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.Message.Text)
	}
	return out
}

// An older export imported after a newer one gets higher message ids; results must still come
// newest first, to the millisecond, also within one day where the index orders by id.
func TestSearchNewestFirstAcrossOutOfOrderImports(t *testing.T) {
	a := openTemp(t)
	newer := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	older := time.Date(2019, 3, 1, 12, 0, 0, 0, time.UTC)
	var first, second []timedText
	for i := 0; i < 30; i++ {
		first = append(first, timedText{newer.Add(time.Duration(i) * time.Minute), fmt.Sprintf("trip new %d", i)})
		second = append(second, timedText{older.Add(time.Duration(i) * time.Minute), fmt.Sprintf("trip old %d", i)})
	}
	// Same day and second as the newest message, imported later (higher id) but earlier.
	last := newer.Add(29 * time.Minute)
	first[29].at = last.Add(900 * time.Millisecond)
	second = append(second, timedText{last.Add(100 * time.Millisecond), "trip same second"})
	// More messages of that day than a first batch of candidates holds, all higher ids.
	for i := 0; i < 40; i++ {
		second = append(second, timedText{last.Add(time.Duration(i) * time.Millisecond), fmt.Sprintf("trip crowd %d", i)})
	}
	importTimed(t, a, "new", "n", first)
	importTimed(t, a, "old", "o", second)
	ctx := context.Background()
	for _, tc := range []struct {
		q     string
		limit int
		want  string
	}{
		{"trip", 1, "[trip new 29]"},
		{"trip", 3, "[trip new 29 trip same second trip crowd 39]"},
		{"old", 2, "[trip old 29 trip old 28]"},
		{"new", 1, "[trip new 29]"},
	} {
		hits, err := a.Search(ctx, SearchQuery{Text: tc.q, Limit: tc.limit})
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(hitTexts(hits)); got != tc.want {
			t.Errorf("%q limit %d: got %s want %s", tc.q, tc.limit, got, tc.want)
		}
	}
}

// Random imports out of time order, two chats, times sharing seconds: every search, with and
// without a chat and date bounds, must equal a brute-force answer.
func TestSearchMatchesBruteForce(t *testing.T) {
	a := openTemp(t)
	r := rand.New(rand.NewSource(7))
	words := []string{"apple", "apricot", "banana", "我的护照", "パスポート", "cherry"}
	base := time.Date(2022, 5, 1, 0, 0, 0, 0, time.UTC)
	type msg struct {
		at   time.Time
		text string
		conv int64
	}
	var all []msg
	for imp := 0; imp < 4; imp++ {
		conv := []string{"x", "y"}[imp%2]
		var batch []timedText
		for i := 0; i < 150; i++ {
			// 300 distinct seconds over 10 days for 600 messages: many share a second, all share days.
			at := base.Add(time.Duration(r.Intn(300))*48*time.Minute + time.Duration(r.Intn(1000))*time.Millisecond)
			var text []string
			for j := 0; j < 1+r.Intn(3); j++ {
				text = append(text, words[r.Intn(len(words))])
			}
			batch = append(batch, timedText{at, fmt.Sprintf("%s %d-%d", strings.Join(text, " "), imp, i)})
		}
		cid := importTimed(t, a, conv, fmt.Sprintf("i%d-", imp), batch)
		for _, m := range batch {
			all = append(all, msg{m.at, m.text, cid})
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].at.After(all[j].at) })
	matches := func(text, q string) bool {
		for _, w := range strings.Fields(text) {
			if strings.HasPrefix(w, q) || (q == "护照" || q == "ポート") && strings.Contains(w, q) {
				return true
			}
		}
		return false
	}
	ctx := context.Background()
	convs := []int64{0, all[0].conv}
	for trial := 0; trial < 60; trial++ {
		q := SearchQuery{Text: []string{"ap", "apple", "banana", "护照", "ポート"}[trial%5], Limit: []int{1, 7, 40}[trial%3],
			ConversationID: convs[trial%2]}
		if trial%4 >= 2 {
			q.Since = base.Add(time.Duration(r.Intn(150*48*60000)) * time.Millisecond)
			q.Until = q.Since.Add(time.Duration(r.Intn(150*48*60000)) * time.Millisecond)
		}
		var want []string
		for _, m := range all {
			if len(want) == q.Limit {
				break
			}
			if matches(m.text, q.Text) && (q.ConversationID == 0 || m.conv == q.ConversationID) &&
				(q.Since.IsZero() || !m.at.Before(q.Since)) && (q.Until.IsZero() || m.at.Before(q.Until)) {
				want = append(want, m.text)
			}
		}
		hits, err := a.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		got := hitTexts(hits)
		// Messages of the same millisecond may come in either order; none are generated here
		// except by chance, so compare exactly and report the query.
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%+v:\n got %v\nwant %v", q, got, want)
		}
	}
}

// The candidates' lookup must use the row id: with the chat in the WHERE clause SQLite chose the
// (conversation_id, ts) index and scanned the whole chat for every batch.
func TestSearchLooksUpCandidatesByRowID(t *testing.T) {
	a := openTemp(t)
	importMessages(t, a, "chat", []string{"hello"})
	rows, err := a.db.Query(`EXPLAIN QUERY PLAN `+rankSQL, jsonIDs([]int64{1, 2, 3}))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	// The ids come as a JSON array (json_each), looked up one by one: messages is never scanned.
	if len(plan) == 0 || !strings.Contains(plan[0], "SEARCH messages USING INTEGER PRIMARY KEY (rowid=?)") ||
		strings.Contains(strings.Join(plan, "\n"), "SCAN messages") {
		t.Fatalf("candidate lookup plan: %q, want a rowid search of messages", plan)
	}
}
