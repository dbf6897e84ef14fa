package tgjson

import (
	"bufio"
	"fmt"
	"io"
)

// writeExport writes a whole-account export shaped like Telegram Desktop's (same key order and
// indentation) with chats of perChat messages each, until at least size bytes are written. It
// returns the number of messages per chat.
func writeExport(w io.Writer, size int64, perChat int) ([]int, error) {
	bw := bufio.NewWriterSize(w, 1<<16)
	cw := &countWriter{w: bw}
	fmt.Fprint(cw, "{\n \"about\": \"Here is the data you requested.\",\n \"personal_information\": {\n  \"user_id\": 42,\n  \"first_name\": \"Me\"\n },\n \"chats\": {\n  \"about\": \"chats\",\n  \"list\": [")
	var counts []int
	id := int64(0)
	for c := 0; cw.n < size || c == 0; c++ {
		if c > 0 {
			fmt.Fprint(cw, ",")
		}
		fmt.Fprintf(cw, "\n   {\n    \"name\": \"Chat %d\",\n    \"type\": \"private_group\",\n    \"id\": %d,\n    \"messages\": [", c, 1000+c)
		for i := 0; i < perChat; i++ {
			id++
			if i > 0 {
				fmt.Fprint(cw, ",")
			}
			fmt.Fprintf(cw, `
     {
      "id": %d,
      "type": "message",
      "date": "2024-01-01T10:00:00",
      "date_unixtime": "%d",
      "from": "Person %d",
      "from_id": "user%d",
      "reply_to_message_id": %d,
      "text": [
       "Message number %d with some words in it, ",
       {
        "type": "bold",
        "text": "bold"
       },
       " and an emoji 👍 and a control char \x0B there"
      ],
      "text_entities": [
       {
        "type": "plain",
        "text": "Message number %d with some words in it, "
       },
       {
        "type": "bold",
        "text": "bold"
       },
       {
        "type": "plain",
        "text": " and an emoji 👍 and a control char \x0B there"
       }
      ]
     }`, id, 1704103200+id, id%7, 100+id%7, id-1, id, id)
		}
		fmt.Fprint(cw, "\n    ]\n   }")
		counts = append(counts, perChat)
	}
	fmt.Fprint(cw, "\n  ]\n },\n \"contacts\": {\n  \"about\": \"c\",\n  \"list\": []\n }\n}\n")
	return counts, bw.Flush()
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
