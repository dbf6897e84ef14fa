// Package demo makes chatvault's built-in example: a small WhatsApp export (a family group chat
// with a photo, a voice message, a location, Chinese text and the usual system notices) written by
// us, so `chatvault demo`, tests and screenshots need no one's real chats.
package demo

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"time"
)

// ExportName is the file name WhatsApp would give the example export.
const ExportName = "WhatsApp Chat with Family Trip.zip"

// SearchWord is a word the example contains, for showing search.
const SearchWord = "passport"

type line struct {
	at     string // DD/MM/YYYY, HH:MM
	author string
	text   string
}

// The chat, in Android's English (UK) export shape.
var chat = []line{
	{"02/03/2024, 18:01", "", "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more."},
	{"02/03/2024, 18:01", "", `Ana created group "Family Trip"`},
	{"02/03/2024, 18:01", "", "Ana added Ben, Chen and Dora"},
	{"02/03/2024, 18:02", "Ana", "Summer trip planning starts now! 🌍"},
	{"02/03/2024, 18:05", "Ben", "Lisbon again? The tram rides were the best part"},
	{"02/03/2024, 18:06", "Chen", "我投票去里斯本 🙋"},
	{"02/03/2024, 18:07", "Dora", "Lisbon works. Reminder: my passport expires in May, I need to renew it first"},
	{"02/03/2024, 18:09", "Ana", "Good catch Dora.\nEveryone please check your passport dates tonight."},
	{"03/03/2024, 09:12", "Ben", "IMG-20240303-WA0001.png (file attached)\nOld photo from the last trip"},
	{"03/03/2024, 09:14", "Chen", "哈哈 好怀念 😂"},
	{"03/03/2024, 09:15", "Dora", "AUD-20240303-WA0002.wav (file attached)"},
	{"03/03/2024, 09:16", "Ana", "Dora's voice message says she wants to see the tiles museum"},
	{"05/03/2024, 20:30", "Ben", "location: https://maps.google.com/?q=38.711900,-9.129500"},
	{"05/03/2024, 20:31", "Ben", "That's the hotel from last time"},
	{"05/03/2024, 20:40", "Chen", "<Media omitted>"},
	{"05/03/2024, 20:41", "Chen", "This message was deleted"},
	{"12/04/2024, 07:55", "Dora", "New passport arrived today 🎉 valid until 2034"},
	{"12/04/2024, 08:02", "Ana", "Perfect. Booking flights for 14 July, back 24 July"},
	{"12/04/2024, 08:03", "Chen", "我的护照也没问题，下个月再确认一次"},
	{"12/04/2024, 08:10", "Ben", "Flights booked ✈️ Confirmation code TP-4417"},
	{"01/06/2024, 19:00", "", "Dora changed this group's icon"},
	{"01/06/2024, 19:02", "Dora", "Packing list: passport, adapters, sunscreen, the good camera"},
	{"14/07/2024, 06:45", "Ana", "At the airport. Boarding at 7:20"},
	{"14/07/2024, 11:30", "Ben", "Landed! 28°C and sunny ☀️"},
}

// FollowUp is a second, later export of the same chat (as a user would make a month later):
// everything above plus new messages. Importing it adds only the new ones.
var followUp = []line{
	{"24/07/2024, 21:10", "Chen", "Home again. Best trip 谢谢大家"},
	{"24/07/2024, 21:12", "Dora", "Same time next year?"},
}

// Messages is how many messages the first example export holds.
func Messages() int { return len(chat) }

// WriteExport writes the example export as the .zip WhatsApp shares: _chat.txt and the media.
// With followUp it writes the later, longer export of the same chat.
func WriteExport(w io.Writer, withFollowUp bool) error {
	lines := chat
	if withFollowUp {
		lines = append(append([]line(nil), chat...), followUp...)
	}
	zw := zip.NewWriter(w)
	modified := time.Date(2024, 7, 24, 21, 15, 0, 0, time.UTC)
	add := func(name string, data []byte) error {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: modified})
		if err != nil {
			return err
		}
		_, err = f.Write(data)
		return err
	}
	var txt bytes.Buffer
	for _, l := range lines {
		if l.author == "" {
			fmt.Fprintf(&txt, "%s - %s\n", l.at, l.text)
		} else {
			fmt.Fprintf(&txt, "%s - %s: %s\n", l.at, l.author, l.text)
		}
	}
	if err := add("WhatsApp Chat with Family Trip.txt", txt.Bytes()); err != nil {
		return err
	}
	if err := add("IMG-20240303-WA0001.png", photo()); err != nil {
		return err
	}
	if err := add("AUD-20240303-WA0002.wav", voice()); err != nil {
		return err
	}
	return zw.Close()
}

// photo draws a small picture: sea, sand and a sun.
func photo() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 160, 120))
	for y := 0; y < 120; y++ {
		for x := 0; x < 160; x++ {
			c := color.RGBA{90, 170, 230, 255}
			if y > 70 {
				c = color.RGBA{30, 110, 170, 255}
			}
			if y > 95 {
				c = color.RGBA{235, 210, 150, 255}
			}
			if dx, dy := x-120, y-30; dx*dx+dy*dy < 225 {
				c = color.RGBA{255, 220, 60, 255}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

// voice makes one second of a two-tone chime as 8 kHz 8-bit mono WAV, which browsers play.
func voice() []byte {
	const rate = 8000
	samples := make([]byte, rate)
	for i := range samples {
		f := 523.25
		if i > rate/2 {
			f = 659.25
		}
		env := 1 - float64(i%(rate/2))/float64(rate/2)
		samples[i] = byte(128 + 90*env*math.Sin(2*math.Pi*f*float64(i)/rate))
	}
	var b bytes.Buffer
	b.WriteString("RIFF")
	binary.Write(&b, binary.LittleEndian, uint32(36+len(samples)))
	b.WriteString("WAVEfmt ")
	for _, v := range []any{uint32(16), uint16(1), uint16(1), uint32(rate), uint32(rate), uint16(1), uint16(8)} {
		binary.Write(&b, binary.LittleEndian, v)
	}
	b.WriteString("data")
	binary.Write(&b, binary.LittleEndian, uint32(len(samples)))
	b.Write(samples)
	return b.Bytes()
}
