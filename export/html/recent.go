package html

// recentMessage is what a reply needs of the message it answers.
type recentMessage struct {
	page, seq int
	sender    string
	color     int
	text      string
}

// recentMessages remembers the last n messages of a conversation by uid, so replies (which
// nearly always answer something recent) can link to the page of the message they quote
// without holding the whole conversation.
type recentMessages struct {
	byUID map[string]recentMessage
	order []string
	next  int
}

func newRecent(n int) *recentMessages {
	return &recentMessages{byUID: make(map[string]recentMessage, n), order: make([]string, 0, n)}
}

func (r *recentMessages) put(uid string, m recentMessage) {
	if _, ok := r.byUID[uid]; ok {
		r.byUID[uid] = m
		return
	}
	if len(r.order) < cap(r.order) {
		r.order = append(r.order, uid)
	} else {
		delete(r.byUID, r.order[r.next])
		r.order[r.next] = uid
		r.next = (r.next + 1) % len(r.order)
	}
	r.byUID[uid] = m
}

func (r *recentMessages) get(uid string) (recentMessage, bool) {
	m, ok := r.byUID[uid]
	return m, ok
}
