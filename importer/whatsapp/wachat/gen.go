package wachat

import (
	"io"
	"math/rand/v2"
	"strconv"
	"time"
)

// GenStyle is the export shape Generate writes.
type GenStyle int

const (
	GenAndroid GenStyle = iota // "31/12/2021, 23:59 - Name: text"
	GenIOS                     // "[31/12/2021, 23:59:59] Name: text"
)

// GenOptions tunes Generate. The zero value writes an Android export with
// day-first dates, a 24-hour clock and no media.
type GenOptions struct {
	Style     GenStyle
	Seed      int64     // the same seed writes the same bytes
	MediaRate float64   // share of messages that reference a media file (0.05 = 5%)
	Clock12h  bool      // "11:59 PM" instead of "23:59"
	Order     DateOrder // 0 = DMY
	CRLF      bool      // end lines with CR LF
	Start     time.Time // time of the first message (zero: 2019-01-01 08:00)
}

var genAuthors = []string{
	"Alice", "Bob Müller", "Carol", "+49 151 23456789", "Dave 🚲", "Ünal Yılmaz",
	"山田太郎", "Мария", "محمد", "Eve", "Frank O'Brien", "+1 (555) 010-4477",
}

var genTexts = []string{
	"ok", "Haha 😂😂", "See you at 8?", "On my way!", "👍", "Thanks a lot, that was really helpful",
	"Did you see the game yesterday? Unbelievable ending 🏀", "Kannst du mir die Nummer schicken?",
	"¿Dónde estás? Te espero en la entrada", "明日の会議は10時からです", "我们明天见面吧 🙂",
	"Ça marche, à demain !", "Привет! Как дела?", "بخير، شكراً لك", "Don't forget the milk 🥛",
	"Meeting moved to 3:30 - room 204: bring the slides", "https://example.com/article?id=42",
	"I'll call you later tonight", "❤️❤️❤️", "Happy birthday!! 🎉🎂🎈",
	"Can someone send me the address of the restaurant please", "lol", "Yes", "No worries",
	"The train is 20 minutes late again 🙄", "👨‍👩‍👧‍👦 family dinner on Sunday", "Good night 🌙",
}

var genSecond = []string{
	"and bring a jacket, it's cold", "second line 😊", "", "PS: call mum", "三行目です", "— sent from my phone",
}

// Generate writes a synthetic WhatsApp export of n messages to w, for
// benchmarks and tests. It is deterministic for a given seed. The mix: an
// encryption notice first, then messages from a dozen authors in several
// scripts with emoji, about 3% of them multi-line, about 0.2% group
// system messages, and MediaRate of them referencing media files.
func Generate(w io.Writer, n int, opts GenOptions) error {
	rng := rand.New(rand.NewPCG(uint64(opts.Seed), 0x9e3779b97f4a7c15))
	t := opts.Start
	if t.IsZero() {
		t = time.Date(2019, 1, 1, 8, 0, 0, 0, time.UTC)
	}
	order := opts.Order
	if order == 0 {
		order = DMY
	}
	nl := "\n"
	if opts.CRLF {
		nl = "\r\n"
	}
	buf := make([]byte, 0, 64<<10)
	media := 0
	for i := 0; i < n; i++ {
		t = t.Add(time.Duration(rng.IntN(600)) * time.Second)
		buf = genHeader(buf, t, opts, order)
		author := genAuthors[rng.IntN(len(genAuthors))]
		switch r := rng.Float64(); {
		case i == 0:
			buf = append(buf, "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more."...)
		case r < 0.002:
			buf = append(buf, author...)
			buf = append(buf, " added "...)
			buf = append(buf, genAuthors[rng.IntN(len(genAuthors))]...)
		case r < 0.002+opts.MediaRate:
			media++
			buf = append(buf, author...)
			buf = append(buf, ": "...)
			buf = genMedia(buf, t, media, opts.Style, rng)
		default:
			buf = append(buf, author...)
			buf = append(buf, ": "...)
			buf = append(buf, genTexts[rng.IntN(len(genTexts))]...)
			if rng.IntN(100) < 3 {
				buf = append(buf, nl...)
				buf = append(buf, genSecond[rng.IntN(len(genSecond))]...)
				if rng.IntN(3) == 0 {
					buf = append(buf, nl...)
					buf = append(buf, genTexts[rng.IntN(len(genTexts))]...)
				}
			}
		}
		buf = append(buf, nl...)
		if len(buf) > 60<<10 {
			if _, err := w.Write(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	_, err := w.Write(buf)
	return err
}

func genHeader(b []byte, t time.Time, o GenOptions, order DateOrder) []byte {
	if o.Style == GenIOS {
		b = append(b, '[')
	}
	d, m, y := t.Day(), int(t.Month()), t.Year()
	switch order {
	case MDY:
		b = strconv.AppendInt(b, int64(m), 10)
		b = append(b, '/')
		b = strconv.AppendInt(b, int64(d), 10)
		b = append(b, '/')
		b = strconv.AppendInt(b, int64(y%100), 10)
	case YMD:
		b = strconv.AppendInt(b, int64(y), 10)
		b = append(b, '-')
		b = append2(b, m)
		b = append(b, '-')
		b = append2(b, d)
	default:
		b = append2(b, d)
		b = append(b, '/')
		b = append2(b, m)
		b = append(b, '/')
		b = strconv.AppendInt(b, int64(y), 10)
	}
	b = append(b, ", "...)
	h := t.Hour()
	if o.Clock12h {
		h12 := h % 12
		if h12 == 0 {
			h12 = 12
		}
		b = strconv.AppendInt(b, int64(h12), 10)
	} else {
		b = append2(b, h)
	}
	b = append(b, ':')
	b = append2(b, t.Minute())
	if o.Style == GenIOS {
		b = append(b, ':')
		b = append2(b, t.Second())
	}
	if o.Clock12h {
		if h < 12 {
			b = append(b, "\u202fAM"...)
		} else {
			b = append(b, "\u202fPM"...)
		}
	}
	if o.Style == GenIOS {
		return append(b, "] "...)
	}
	return append(b, " - "...)
}

func append2(b []byte, v int) []byte {
	return append(b, byte('0'+v/10), byte('0'+v%10))
}

var genMediaKinds = []struct{ android, ios, ext string }{
	{"IMG", "PHOTO", "jpg"}, {"VID", "VIDEO", "mp4"}, {"PTT", "AUDIO", "opus"}, {"STK", "STICKER", "webp"},
}

func genMedia(b []byte, t time.Time, seq int, style GenStyle, rng *rand.Rand) []byte {
	k := genMediaKinds[rng.IntN(len(genMediaKinds))]
	if style == GenIOS {
		b = append(b, "\u200e<attached: "...)
		b = append(b, strconv.Itoa(100000000 + seq)[1:]...)
		b = append(b, '-')
		b = append(b, k.ios...)
		b = append(b, '-')
		b = t.AppendFormat(b, "2006-01-02-15-04-05")
		b = append(b, '.')
		b = append(b, k.ext...)
		return append(b, '>')
	}
	b = append(b, k.android...)
	b = append(b, '-')
	b = t.AppendFormat(b, "20060102")
	b = append(b, "-WA"...)
	b = append(b, strconv.Itoa(10000 + seq%10000)[1:]...)
	b = append(b, '.')
	b = append(b, k.ext...)
	b = append(b, " (file attached)"...)
	if rng.IntN(4) == 0 {
		b = append(b, '\n')
		b = append(b, "caption: look at this 📸"...)
	}
	return b
}
