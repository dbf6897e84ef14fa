// Command tggen writes a Telegram Desktop whole-account export (result.json) of n messages, shaped
// as Telegram Desktop writes one (key order, indentation, text and text_entities, replies,
// forwards, edits, reactions, service messages), for the import benchmark.
//
//	tggen -n 1000000 -chats 20 -o out/result.json
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"os"
)

func main() {
	n := flag.Int("n", 1000000, "messages")
	chats := flag.Int("chats", 20, "chats")
	out := flag.String("o", "result.json", "output file")
	flag.Parse()
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := write(w, *n, *chats); err != nil {
		log.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}

var words = []string{"hello", "when", "are", "you", "coming", "tomorrow", "lunch", "meeting", "ok", "thanks",
	"see", "later", "great", "idea", "what", "about", "the", "train", "home", "now", "привет", "你好", "😀"}

func write(w *bufio.Writer, n, chats int) error {
	fmt.Fprint(w, "{\n \"about\": \"Here is the data you requested.\",\n \"personal_information\": {\n  \"user_id\": 42,\n  \"first_name\": \"Me\",\n  \"last_name\": \"\",\n  \"phone_number\": \"+49 170 0000000\",\n  \"username\": \"@me\",\n  \"bio\": \"\"\n },\n \"chats\": {\n  \"about\": \"chats\",\n  \"list\": [")
	per := (n + chats - 1) / chats
	written := 0
	seed := uint32(1)
	rnd := func(k int) int { seed = seed*1664525 + 1013904223; return int(seed>>8) % k }
	for c := 0; c < chats && written < n; c++ {
		if c > 0 {
			fmt.Fprint(w, ",")
		}
		typ, name := "private_supergroup", fmt.Sprintf("Group %d", c)
		if c%3 == 0 {
			typ, name = "personal_chat", fmt.Sprintf("Friend %d", c)
		}
		fmt.Fprintf(w, "\n   {\n    \"name\": %q,\n    \"type\": %q,\n    \"id\": %d,\n    \"messages\": [", name, typ, 1000+c)
		unix := int64(1609459200) // 2021-01-01
		for i := 1; i <= per && written < n; i++ {
			if i > 1 {
				fmt.Fprint(w, ",")
			}
			unix += int64(5 + rnd(300))
			date := wall(unix + 3600)
			if i%500 == 0 {
				fmt.Fprintf(w, "\n     {\n      \"id\": %d,\n      \"type\": \"service\",\n      \"date\": %q,\n      \"date_unixtime\": \"%d\",\n      \"actor\": \"Person %d\",\n      \"actor_id\": \"user%d\",\n      \"action\": \"invite_members\",\n      \"members\": [\n       \"Person %d\"\n      ],\n      \"text\": \"\",\n      \"text_entities\": []\n     }", i, date, unix, i%9, 100+i%9, (i+1)%9)
				written++
				continue
			}
			sender := rnd(10)
			from, fromID := fmt.Sprintf("Person %d", sender), fmt.Sprintf("user%d", 100+sender)
			if sender == 0 {
				from, fromID = "Me", "user42"
			}
			var text string
			for k := 3 + rnd(12); k > 0; k-- {
				text += words[rnd(len(words))] + " "
			}
			fmt.Fprintf(w, "\n     {\n      \"id\": %d,\n      \"type\": \"message\",\n      \"date\": %q,\n      \"date_unixtime\": \"%d\",\n", i, date, unix)
			if i%40 == 0 {
				fmt.Fprintf(w, "      \"edited\": %q,\n      \"edited_unixtime\": \"%d\",\n", wall(unix+3660), unix+60)
			}
			fmt.Fprintf(w, "      \"from\": %q,\n      \"from_id\": %q,\n", from, fromID)
			if i%7 == 0 && i > 1 {
				fmt.Fprintf(w, "      \"reply_to_message_id\": %d,\n", i-1-rnd(i-1))
			}
			if i%31 == 0 {
				fmt.Fprint(w, "      \"forwarded_from\": \"Someone Else\",\n")
			}
			if i%10 == 0 {
				fmt.Fprintf(w, "      \"text\": [\n       %q,\n       {\n        \"type\": \"bold\",\n        \"text\": \"important\"\n       },\n       \" \",\n       {\n        \"type\": \"link\",\n        \"text\": \"https://telegram.org/\"\n       }\n      ],\n      \"text_entities\": [\n       {\n        \"type\": \"plain\",\n        \"text\": %q\n       },\n       {\n        \"type\": \"bold\",\n        \"text\": \"important\"\n       },\n       {\n        \"type\": \"plain\",\n        \"text\": \" \"\n       },\n       {\n        \"type\": \"link\",\n        \"text\": \"https://telegram.org/\"\n       }\n      ]", text, text)
			} else {
				fmt.Fprintf(w, "      \"text\": %q,\n      \"text_entities\": [\n       {\n        \"type\": \"plain\",\n        \"text\": %q\n       }\n      ]", text, text)
			}
			if i%25 == 0 {
				fmt.Fprintf(w, ",\n      \"reactions\": [\n       {\n        \"type\": \"emoji\",\n        \"count\": 2,\n        \"emoji\": \"👍\",\n        \"recent\": [\n         {\n          \"from\": \"Person 1\",\n          \"from_id\": \"user101\",\n          \"date\": %q\n         }\n        ]\n       }\n      ]", wall(unix+3700))
			}
			fmt.Fprint(w, "\n     }")
			written++
		}
		fmt.Fprint(w, "\n    ]\n   }")
	}
	fmt.Fprint(w, "\n  ]\n }\n}\n")
	return nil
}

// wall is Unix seconds as Telegram's "date": the wall time without a zone.
func wall(unix int64) string {
	d, s := unix/86400, unix%86400
	y, m, day := civil(d)
	return fmt.Sprintf("%04d-%02d-%02dT%02d:%02d:%02d", y, m, day, s/3600, s/60%60, s%60)
}

// civil converts days since 1970-01-01 to a date (Howard Hinnant's algorithm).
func civil(z int64) (int64, int64, int64) {
	z += 719468
	era := z / 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
		y++
	}
	return y, m, d
}
