package wachat

import (
	"strings"
	"testing"
)

const lrm = "\u200e"

func TestSystemMessages(t *testing.T) {
	cases := []struct {
		line       string
		event      string
		headerName string
	}{
		{"12/9/20, 23:55 - Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.", EventE2ENotice, ""},
		{"06/03/2017, 00:45 - Messages to this group are now secured with end-to-end encryption. Tap for more info.", EventE2ENotice, ""},
		{"16.02.21, 22:10 - Nachrichten, die du in diesem Chat sendest, sowie Anrufe, sind jetzt mit Ende-zu-Ende-Verschlüsselung geschützt. Tippe für mehr Infos.", EventE2ENotice, ""},
		{"[1/11/23, 16:11:21] Group Chat XXX: " + lrm + "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.", EventE2ENotice, "Group Chat XXX"},
		{"15.04.2016, 15:04 - Pokemon Chat: Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.", EventE2ENotice, "Pokemon Chat"},
		{"[18/3/22, 14:56:00] Elon Musk: " + lrm + "Сообщения и звонки защищены сквозным шифрованием. Третьи лица, включая WhatsApp, не\u00a0могут прочитать ваши сообщения или прослушать звонки.", EventE2ENotice, "Elon Musk"},
		{"[13/11/2025, 12:25:55\u202fPM] Amazon EG: " + lrm + "This business uses a secure service from Meta to manage this chat. Tap to learn more.", EventBusinessNotice, "Amazon EG"},
		{"12/9/20, 23:16 - Alice created group \"Some cool group chat\"", EventGroupCreated, ""},
		{"[29/11/2018, 10:50:41] Josh: " + lrm + "Josh created this group", EventGroupCreated, "Josh"},
		{"[1/11/23, 16:11:21] " + lrm + "You created group “Group Chat”", EventGroupCreated, ""},
		{"29.01.18, 12:24 - Du hast die Gruppe \"WhatsAppParserTest🙈\" erstellt.", EventGroupCreated, ""},
		{"12/9/20, 23:55 - Alice added you", EventMemberAdded, ""},
		{"[29/11/2018, 10:50:41] Super Group: " + lrm + "Josh added you", EventMemberAdded, "Super Group"},
		{"17.02.19, 19:19 - " + lrm + "Ольга Р Х (МСК) добавил(-а) контакт +7 909 555-55-55", EventMemberAdded, ""},
		{"30/06/20, 09:10 - You were added", EventMemberAdded, ""},
		{"11/01/2023, 16:21 - +7 999 999-99-99 joined using this group's invite link", EventJoinedViaLink, ""},
		{"11/01/2023, 16:21 - Dmitry S removed +7 999 999-99-99", EventMemberRemoved, ""},
		{"29.01.18, 12:24 - Du hast Mallory entfernt.", EventMemberRemoved, ""},
		{"11/01/2023, 16:21 - Bob left", EventMemberLeft, ""},
		{"11/01/2023, 16:14 - You changed the subject from \"Group Chat\" to \"Re: Group Chat\"", EventSubjectChanged, ""},
		{"[1/11/23, 16:14:32] " + lrm + "Elon Musk changed the subject to “Lunch: today”", EventSubjectChanged, ""},
		{"1/29/18, 12:26 - You changed this group's icon", EventIconChanged, ""},
		{"29.01.18, 12:26 - Du hast das Gruppenbild geändert.", EventIconChanged, ""},
		{"11/01/2023, 16:11 - Dmitry S changed the group description", EventDescriptionChanged, ""},
		{"[1/11/23, 16:12:48] " + lrm + "You changed this group's settings to allow only admins to send messages to this group", EventSettingsChanged, ""},
		{"11/01/2023, 16:13 - You're now an admin", EventAdminChanged, ""},
		{"[1/11/23, 16:14:53] " + lrm + lrm + lrm + "Elon Musk turned on disappearing messages. " + lrm + "New messages will disappear from this chat " + lrm + "24 hours after they're sent. " + lrm + "Tap to change.", EventDisappearingOn, ""},
		{"11/01/2023, 16:14 - You updated the message timer. New messages will disappear from this chat 7 days after they're sent. Tap to change.", EventDisappearingOn, ""},
		{"11/01/2023, 16:15 - You turned off disappearing messages. Tap to change.", EventDisappearingOff, ""},
		{"[4/28/22, 20:17:30] Elon Musk: " + lrm + lrm + "Your security code with Elon changed. " + lrm + "Tap to learn more.", EventSecurityCode, "Elon Musk"},
		{"[4/28/22, 20:17:30] Elon Musk: " + lrm + lrm + "Deine Sicherheitsnummer für Elon hat sich geändert. " + lrm + "Tippe, um mehr zu erfahren.", EventSecurityCode, "Elon Musk"},
		{"11/01/2023, 16:15 - Bob changed their phone number to a new number. Tap to message or add the new number.", EventNumberChanged, ""},
		{"11/01/2023, 16:15 - Something WhatsApp wrote that no table knows", EventUnknown, ""},
		{"20/01/19, 11:23 - John Doe:.", EventUnknown, ""},
	}
	for _, c := range cases {
		r := one(t, c.line)
		if r.Kind != KindSystem || r.Event != c.event || r.Author != "" || r.HeaderName != c.headerName {
			t.Errorf("%q:\n kind %s event %q author %q header name %q; want system %q header name %q", c.line, r.Kind, r.Event, r.Author, r.HeaderName, c.event, c.headerName)
		}
		if strings.ContainsRune(r.Text, 0x200e) {
			t.Errorf("%q: marks left in text %q", c.line, r.Text)
		}
	}
}

// Messages that look a little like system messages stay messages.
func TestNotSystem(t *testing.T) {
	for _, line := range []string{
		"12/9/20, 23:55 - Bob: Alice added you to the list",
		"12/9/20, 23:55 - Bob: messages and calls are end-to-end encrypted, right?",
		"[1/29/18, 23:49:03] Alice: " + lrm + "No idea, lets try it out!",
		"12/9/20, 23:55 - Bob: left",
	} {
		r := one(t, line)
		if r.Kind != KindText || r.Author != "Bob" && r.Author != "Alice" {
			t.Errorf("%q: kind %s author %q", line, r.Kind, r.Author)
		}
	}
}

func TestMedia(t *testing.T) {
	cases := []struct {
		lines             []string
		kind              Kind
		file, media, text string
		pages             int
		problems          int
		omitted           bool
	}{
		{[]string{"18/03/2022, 15:12 - Dmitry S: PTT-20220323-WA0000.opus (file attached)"}, KindAttachment, "PTT-20220323-WA0000.opus", "voice", "", 0, 0, false},
		{[]string{"23/03/2022, 13:32 - Elon: IMG-20220323-WA0002.jpg (file attached)", "Caption line"}, KindAttachment, "IMG-20220323-WA0002.jpg", "photo", "Caption line", 0, 0, false},
		{[]string{"16.02.21, 22:34 - Jane Doe: VID-20181031-WA0007.mp4 (Datei angehängt)", "Das hier meine ich"}, KindAttachment, "VID-20181031-WA0007.mp4", "video", "Das hier meine ich", 0, 0, false},
		{[]string{"23.03.2022, 13:33 - Elon: " + lrm + "Alex.vcf (файл добавлен)"}, KindAttachment, "Alex.vcf", "contact", "", 0, 0, false},
		{[]string{"10/12/2024, 14:36 - Sophie: STK-20241210-WA0003.webp (dosya ekli)"}, KindAttachment, "STK-20241210-WA0003.webp", "sticker", "", 0, 0, false},
		{[]string{"10/12/2024, 14:36 - Sophie: DOC-20241210-WA0003.pdf (a wording no table has)"}, KindAttachment, "DOC-20241210-WA0003.pdf", "document", "", 0, 0, false},
		{[]string{"10/12/2024, 14:36 - Sophie: my notes (final version)"}, KindText, "", "", "my notes (final version)", 0, 0, false},
		{[]string{"[3/27/22, 21:41:55] Dmitry S: " + lrm + "<attached: 00000035-PHOTO-2022-03-27-21-41-55.jpg>"}, KindAttachment, "00000035-PHOTO-2022-03-27-21-41-55.jpg", "photo", "", 0, 0, false},
		{[]string{"[1/29/18, 23:46:03] Alice: " + lrm + lrm + "<attached: " + lrm + "PTT-20180129-WA0025.opus>"}, KindAttachment, "PTT-20180129-WA0025.opus", "voice", "", 0, 0, false},
		{[]string{"[29.01.18, 23:46:03] Alice: " + lrm + "<Anhang: PTT-20180129-WA0025.opus>"}, KindAttachment, "PTT-20180129-WA0025.opus", "voice", "", 0, 0, false},
		{[]string{"[3/27/22 21:41:55] Dmitry S: " + lrm + "< pièce jointe : 00000035-PHOTO-2022-03-27-21-41-55.jpg >"}, KindAttachment, "00000035-PHOTO-2022-03-27-21-41-55.jpg", "photo", "", 0, 0, false},
		{[]string{"[3/27/22 21:41:55] Dmitry S: " + lrm + "<附件：00000035-PHOTO-2022-03-27-21-41-55.jpg>"}, KindAttachment, "00000035-PHOTO-2022-03-27-21-41-55.jpg", "photo", "", 0, 0, false},
		{[]string{"[3/27/22 21:41:55] Dmitry S: " + lrm + "<00000035-PHOTO-2022-03-27-21-41-55.jpg eklendi>"}, KindAttachment, "00000035-PHOTO-2022-03-27-21-41-55.jpg", "photo", "", 0, 0, false},
		{[]string{"[3/27/22, 21:50:25] Dmitry S: Resume-Dmitry-Starkov.pdf • " + lrm + "2 pages " + lrm + "<attached: 00000047-Resume-Dmitry-Starkov.pdf>"}, KindAttachment, "00000047-Resume-Dmitry-Starkov.pdf", "document", "", 2, 0, false},
		{[]string{"[3/27/22, 21:51:57] Dmitry S: " + lrm + "<attached: 00000051-GIF-2022-03-27-21-51-57.mp4>"}, KindAttachment, "00000051-GIF-2022-03-27-21-51-57.mp4", "gif", "", 0, 0, false},
		{[]string{"8/4/15, 10:00 - a: 2015-08-04-PHOTO-00004762.jpg <" + lrm + "attached>"}, KindAttachment, "2015-08-04-PHOTO-00004762.jpg", "photo", "", 0, 0, false},
		{[]string{"[3/27/22, 21:41:55] Dmitry S: " + lrm + "<attached: ", "00000035-PHOTO-2022-03-27-21-4", "1-55.jpg>"}, KindAttachment, "00000035-PHOTO-2022-03-27-21-41-55.jpg", "photo", "", 0, 1, false},
		{[]string{"[3/27/22, 21:42:50] Dmitry S: " + lrm + "<attached: >"}, KindAttachment, "", "", "", 0, 1, false},
		{[]string{"18/03/2022, 15:10 - Dmitry S: <Media omitted>"}, KindMediaOmitted, "", "", "", 0, 0, true},
		{[]string{"18/03/2022, 15:10 - Dmitry S: <Media omitted>", "Caption"}, KindMediaOmitted, "", "", "Caption", 0, 0, true},
		{[]string{"27/03/2022, 21:50 - Dmitry S: <Media omitted>", "Resume-Dmitry-Starkov.pdf"}, KindMediaOmitted, "Resume-Dmitry-Starkov.pdf", "document", "", 0, 0, true},
		{[]string{"1/1/21, 12:03 - B: <media omitted>"}, KindMediaOmitted, "", "", "", 0, 0, true},
		{[]string{"29.01.18, 23:47 - Bob: <Medien ausgeschlossen>"}, KindMediaOmitted, "", "", "", 0, 0, true},
		{[]string{"18.03.2022, 15:10 - Dmitry S: <Без медиафайлов>"}, KindMediaOmitted, "", "", "", 0, 0, true},
		{[]string{"12/3/25, 2:34 p. m. - Luma: <Multimedia omitido>"}, KindMediaOmitted, "", "", "", 0, 0, true},
		{[]string{"۲۰۲۱/۵/۳۰، ۱۸:۴۹ - Dara: <رسانه حذف شد>"}, KindMediaOmitted, "", "", "", 0, 0, true},
		{[]string{"09/12/2012 17:03:35: Two: response with media <media omitted>"}, KindMediaOmitted, "", "", "response with media", 0, 0, true},
		{[]string{"[3/27/22, 21:51:20] Dmitry S: " + lrm + "image omitted"}, KindMediaOmitted, "", "photo", "", 0, 0, true},
		{[]string{"[1/29/18, 23:47:03] Bob: image omitted"}, KindMediaOmitted, "", "photo", "", 0, 0, true},
		{[]string{"[3/27/22, 21:47:55] Dmitry S: " + lrm + "Contact card omitted"}, KindMediaOmitted, "", "contact", "", 0, 0, true},
		{[]string{"[3/27/22, 21:44:47] Dmitry S: " + lrm + "audio omitted"}, KindMediaOmitted, "", "audio", "", 0, 0, true},
		{[]string{"[3/27/22, 21:44:47] Dmitry S: " + lrm + "Bild weggelassen"}, KindMediaOmitted, "", "photo", "", 0, 0, true},
		{[]string{"[3/27/22 21:41:55] Dmitry S: " + lrm + "画像は含まれていません"}, KindMediaOmitted, "", "photo", "", 0, 0, true},
		{[]string{"[27/3/2022، 21:41:55] Dmitry S: \u200fلم يتم إدراج الصورة"}, KindMediaOmitted, "", "photo", "", 0, 0, true},
		{[]string{"[3/27/22, 21:50:25] Dmitry S: Resume-Dmitry-Starkov.pdf • " + lrm + "2 pages " + lrm + "document omitted"}, KindMediaOmitted, "Resume-Dmitry-Starkov.pdf", "document", "", 2, 0, true},
		{[]string{"[3/27/22, 21:50:43] Dmitry S: Template.docx " + lrm + "document omitted"}, KindMediaOmitted, "Template.docx", "document", "", 0, 0, true},
		{[]string{"13/06/15 10:59:59: Giorgia's Phone: <" + lrm + "audio omitted>"}, KindMediaOmitted, "", "audio", "", 0, 0, true},
	}
	for _, c := range cases {
		r := one(t, c.lines...)
		if r.Kind != c.kind || r.Text != c.text || len(r.Problems) != c.problems {
			t.Errorf("%q:\n kind %s text %q problems %q; want %s %q %d problems", c.lines, r.Kind, r.Text, r.Problems, c.kind, c.text, c.problems)
			continue
		}
		if c.kind == KindText {
			if r.Attachment != nil {
				t.Errorf("%q: attachment %+v", c.lines, r.Attachment)
			}
			continue
		}
		a := r.Attachment
		if a == nil || a.FileName != c.file || a.Kind != c.media || a.Pages != c.pages || a.Omitted != c.omitted {
			t.Errorf("%q:\n attachment %+v; want file %q kind %q pages %d omitted %v", c.lines, a, c.file, c.media, c.pages, c.omitted)
		}
	}
}

func TestMessageKinds(t *testing.T) {
	cases := []struct {
		line  string
		kind  Kind
		event string
		text  string
	}{
		{"27/03/2022, 13:44 - Dmitry S: This message was deleted", KindDeleted, "", ""},
		{"27/03/2022, 15:14 - Elon: You deleted this message", KindDeleted, "", ""},
		{"[3/27/22, 21:54:45] Elon Musk: " + lrm + "This message was deleted.", KindDeleted, "", ""},
		{"[3/27/22 21:50:54] Dmitry S: " + lrm + "このメッセージを削除しました。", KindDeleted, "", ""},
		{"[3/27/22, 21:50:54] Dmitry S: " + lrm + "Вы удалили данное сообщение.", KindDeleted, "", ""},
		{"27.03.2022, 13:44 - Dmitry S: Данное сообщение удалено", KindDeleted, "", ""},
		{"07/01/2023, 23:32 - Dmitry S: Missed voice call", KindCall, EventMissedCall, ""},
		{"07/01/2023, 23:32 - Dmitry S: Missed video call", KindCall, EventMissedCall, ""},
		{"07.01.2023, 23:32 - Dmitry S: Пропущенный аудиозвонок", KindCall, EventMissedCall, ""},
		{"27/03/2022, 15:10 - Dmitry S: null", KindViewOnce, "", ""},
		{"29.01.18, 23:59 - Carol:", KindEmpty, "", ""},
		{"[29.01.18, 23:59:04] Carol: ", KindEmpty, "", ""},
		{"1/29/18, 23:59 - Alice: live location shared", KindLiveLocation, "", ""},
		{"29.01.18, 23:59 - Alice: Live-Standort wird geteilt.", KindLiveLocation, "", ""},
		{"20/08/2024, 22:02 - Username: POLL:\nCi sarei al…\nOPTION: Venerdì 23 Sera (1 vote)\nOPTION: Sabato 24 Sera (3 votes)", KindPoll, "", "Ci sarei al…\nOPTION: Venerdì 23 Sera (1 vote)\nOPTION: Sabato 24 Sera (3 votes)"},
		{"27/03/2022, 13:44 - Dmitry S: This message was deleted\nbut I wrote more", KindText, "", "This message was deleted\nbut I wrote more"},
	}
	for _, c := range cases {
		r := one(t, strings.Split(c.line, "\n")...)
		if r.Kind != c.kind || r.Event != c.event || r.Text != c.text || r.Author == "" {
			t.Errorf("%q:\n kind %s event %q text %q author %q; want %s %q %q", c.line, r.Kind, r.Event, r.Text, r.Author, c.kind, c.event, c.text)
		}
	}
}

func TestEdited(t *testing.T) {
	for _, c := range []struct{ line, text string }{
		{"03/06/2023, 6:12 am - author: sample message <This message was edited>", "sample message"},
		{"[15.08.26, 12:44:11] Klaus: Treffen um 5 <Diese Nachricht wurde bearbeitet>", "Treffen um 5"},
		{"03/06/2023, 6:12 am - author: two\nlines <Se editó este mensaje.>", "two\nlines"},
	} {
		r := one(t, strings.Split(c.line, "\n")...)
		if !r.Edited || r.Text != c.text || r.Kind != KindText {
			t.Errorf("%q: edited %v text %q kind %s", c.line, r.Edited, r.Text, r.Kind)
		}
	}
	if r := one(t, "03/06/2023, 6:12 am - author: a <b>"); r.Edited || r.Text != "a <b>" {
		t.Errorf("edited %v text %q", r.Edited, r.Text)
	}
}

func TestLocations(t *testing.T) {
	cases := []struct {
		line     string
		lat, lon float64
		hasLL    bool
		name     string
	}{
		{"18/03/2022, 15:13 - Dmitry S: location: https://maps.google.com/?q=51.50214569326172,-0.12739796972656", 51.50214569326172, -0.12739796972656, true, ""},
		{"[3/27/22, 21:56:45] Dmitry S: " + lrm + "Location: https://maps.google.com/?q=51.5021456,-0.127397", 51.5021456, -0.127397, true, ""},
		{"29.01.18, 23:59 - Bob: Standort: https://maps.google.com/?q=50.9425526,6.9523387", 50.9425526, 6.9523387, true, ""},
		{"[3/27/22, 21:56:45] Dmitry S: " + lrm + "Местоположение: https://maps.google.com/?q=51.5021456,-0.127397", 51.5021456, -0.127397, true, ""},
		{"[3/27/22, 21:56:46] Dmitry S: " + lrm + "Location: https://maps.google.ru/?q=34.800600,28.100155", 34.8006, 28.100155, true, ""},
		{"[3/27/22, 21:46:03] Dmitry S: Pimlico Gardens (London, United Kingdom): https://foursquare.com/v/4e89af95e5fa82ad4c0aa03b", 0, 0, false, "Pimlico Gardens (London, United Kingdom)"},
		{"27/03/2022, 21:46 - Dmitry S: Pimlico Gardens\nLondon, United Kingdom\nhttps://foursquare.com/v/4e89af95e5fa82ad4c0aa03b", 0, 0, false, "Pimlico Gardens\nLondon, United Kingdom"},
	}
	for _, c := range cases {
		r := one(t, strings.Split(c.line, "\n")...)
		l := r.Location
		if r.Kind != KindLocation || l == nil || l.Lat != c.lat || l.Lon != c.lon || l.HasLatLon != c.hasLL || l.Name != c.name || !strings.HasPrefix(l.URL, "https://") {
			t.Errorf("%q:\n kind %s location %+v", c.line, r.Kind, l)
		}
	}
	for _, line := range []string{
		"29.01.18, 23:53 - Alice: https://github.com/JuKo007",
		"29.01.18, 23:53 - Alice: look: https://maps.google.com/?q=1,2 is where we meet",
	} {
		if r := one(t, line); r.Kind != KindText || r.Location != nil {
			t.Errorf("%q: kind %s location %+v", line, r.Kind, r.Location)
		}
	}
}

// Invisible marks leave authors and text; Raw keeps them.
func TestMarksCleaned(t *testing.T) {
	line := "\ufeff[29.01.18, 23:52:03] \u2066Bob\u2069: " + lrm + "Schick doch mal eine zum ausprobieren\ufeff!"
	r := one(t, line)
	if r.Author != "Bob" || r.Text != "Schick doch mal eine zum ausprobieren!" || r.Raw != line {
		t.Errorf("author %q text %q raw %q", r.Author, r.Text, r.Raw)
	}
	r = one(t, "[3/27/22, 21:43:56] +90\u00a0531\u00a0022\u00a021\u00a053: hi")
	if r.Author != "+90 531 022 21 53" {
		t.Errorf("author %q", r.Author)
	}
	r = one(t, "4/26/16, 16:23:03: \u202a+55\u00a061\u00a08121\u20113457\u202c: hi")
	if r.Author != "+55 61 8121\u20113457" {
		t.Errorf("author %q", r.Author)
	}
	// Joiners are part of emoji, not marks.
	r = one(t, "12/9/20, 23:55 - Trent: 👩🏻\u200d⚖️")
	if r.Text != "👩🏻\u200d⚖️" {
		t.Errorf("text %q", r.Text)
	}
}

func TestMultiLine(t *testing.T) {
	p := parseBytes(t, []byte("09/04/2017, 01:50 - +410123456789: How are you?\n\nIs everything alright?\n\n\n09/04/2017, 01:51 - B: ok\n"), Options{})
	if len(p.recs) != 2 {
		t.Fatalf("%d records", len(p.recs))
	}
	r := p.recs[0]
	if r.Text != "How are you?\n\nIs everything alright?" || r.Line != 1 || r.EndLine != 5 {
		t.Errorf("text %q lines %d-%d", r.Text, r.Line, r.EndLine)
	}
	if r.Raw != "09/04/2017, 01:50 - +410123456789: How are you?\n\nIs everything alright?\n\n" {
		t.Errorf("raw %q", r.Raw)
	}
}
