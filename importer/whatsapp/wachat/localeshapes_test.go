package wachat

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"unicode/utf16"
)

// One chat written in the header shapes of many locales (dates, digits, calendars, day periods,
// separators): every shape must give the same three messages at the same wall-clock times.
func TestHeaderShapesOfManyLocales(t *testing.T) {
	want := `["2020-12-31 23:59 Alice|hello" "2021-01-01 00:05 Bob|hi" "2021-01-13 10:00 Alice|ok"]`
	samples := map[string]string{
		"android-us":       "12/31/20, 11:59 PM - Alice: hello\n1/1/21, 12:05 AM - Bob: hi\n1/13/21, 10:00 AM - Alice: ok",
		"ios-bracket":      "[31/12/2020, 23:59:59] Alice: hello\n[01/01/2021, 00:05:01] Bob: hi\n[13/01/2021, 10:00:00] Alice: ok",
		"german":           "31.12.20, 23:59 - Alice: hello\n01.01.21, 00:05 - Bob: hi\n13.01.21, 10:00 - Alice: ok",
		"dutch-nocomma":    "31-12-2020 23:59 - Alice: hello\n01-01-2021 00:05 - Bob: hi\n13-01-2021 10:00 - Alice: ok",
		"japanese":         "2020/12/31 23:59 - Alice: hello\n2021/01/01 0:05 - Bob: hi\n2021/01/13 10:00 - Alice: ok",
		"korean-ios":       "[2020. 12. 31. 오후 11:59:59] Alice: hello\n[2021. 1. 1. 오전 12:05:01] Bob: hi\n[2021. 1. 13. 오전 10:00:00] Alice: ok",
		"korean-android":   "2020. 12. 31. 오후 11:59 - Alice: hello\n2021. 1. 1. 오전 12:05 - Bob: hi\n2021. 1. 13. 오전 10:00 - Alice: ok",
		"chinese-android":  "2020/12/31 下午11:59 - Alice: hello\n2021/1/1 上午12:05 - Bob: hi\n2021/1/13 上午10:00 - Alice: ok",
		"chinese-ios":      "[2020/12/31 下午11:59:59] Alice: hello\n[2021/1/1 上午12:05:01] Bob: hi\n[2021/1/13 上午10:00:00] Alice: ok",
		"finnish-klo":      "31.12.2020 klo 23.59 - Alice: hello\n1.1.2021 klo 0.05 - Bob: hi\n13.1.2021 klo 10.00 - Alice: ok",
		"danish-dottime":   "31.12.2020 23.59 - Alice: hello\n01.01.2021 00.05 - Bob: hi\n13.01.2021 10.00 - Alice: ok",
		"hungarian":        "2020. 12. 31. 23:59 - Alice: hello\n2021. 01. 01. 0:05 - Bob: hi\n2021. 01. 13. 10:00 - Alice: ok",
		"indonesian":       "31/12/20 23.59 - Alice: hello\n01/01/21 00.05 - Bob: hi\n13/01/21 10.00 - Alice: ok",
		"swedish":          "2020-12-31 23:59 - Alice: hello\n2021-01-01 00:05 - Bob: hi\n2021-01-13 10:00 - Alice: ok",
		"persian-digits":   "۲۰۲۰/۱۲/۳۱، ۲۳:۵۹ - Alice: hello\n۲۰۲۱/۱/۱، ۰۰:۰۵ - Bob: hi\n۲۰۲۱/۱/۱۳، ۱۰:۰۰ - Alice: ok",
		"spanish-pm":       "31/12/20, 11:59 p. m. - Alice: hello\n1/1/21, 12:05 a. m. - Bob: hi\n13/1/21, 10:00 a. m. - Alice: ok",
		"ios-us-nnbsp":     "[12/31/20, 11:59:59\u202fPM] Alice: hello\n[1/1/21, 12:05:01\u202fAM] Bob: hi\n[1/13/21, 10:00:00\u202fAM] Alice: ok",
		"legacy-2013":      "31/12/2020 23:59: Alice: hello\n01/01/2021 00:05: Bob: hi\n13/01/2021 10:00: Alice: ok",
		"legacy-seconds":   "31/12/2020 23:59:59: Alice: hello\n01/01/2021 00:05:01: Bob: hi\n13/01/2021 10:00:00: Alice: ok",
		"brazil-android":   "31/12/2020 23:59 - Alice: hello\n01/01/2021 00:05 - Bob: hi\n13/01/2021 10:00 - Alice: ok",
		"turkish-ios":      "[31.12.2020 23:59:59] Alice: hello\n[1.01.2021 00:05:01] Bob: hi\n[13.01.2021 10:00:00] Alice: ok",
		"vietnamese":       "23:59, 31/12/2020 - Alice: hello\n00:05, 01/01/2021 - Bob: hi\n10:00, 13/01/2021 - Alice: ok",
		"thai-ios":         "[31/12/2563 23:59:59] Alice: hello\n[1/1/2564 00:05:01] Bob: hi\n[13/1/2564 10:00:00] Alice: ok",
		"arabic-digits":    "٣١‏/١٢‏/٢٠٢٠ ١١:٥٩ م - Alice: hello\n١‏/١‏/٢٠٢١ ١٢:٠٥ ص - Bob: hi\n١٣‏/١‏/٢٠٢١ ١٠:٠٠ ص - Alice: ok",
		"polish":           "31.12.2020, 23:59 - Alice: hello\n1.01.2021, 00:05 - Bob: hi\n13.01.2021, 10:00 - Alice: ok",
		"india-ampm-lower": "31/12/20, 11:59 pm - Alice: hello\n01/01/21, 12:05 am - Bob: hi\n13/01/21, 10:00 am - Alice: ok",
		"android-us-nnbsp": "12/31/20, 11:59\u202fPM - Alice: hello\n1/1/21, 12:05\u202fAM - Bob: hi\n1/13/21, 10:00\u202fAM - Alice: ok",
		"zh-tw-wanshang":   "2020/12/31 晚上11:59 - Alice: hello\n2021/1/1 凌晨12:05 - Bob: hi\n2021/1/13 上午10:00 - Alice: ok",
		"ja-gogo":          "2020/12/31 午後11:59 - Alice: hello\n2021/01/01 午前0:05 - Bob: hi\n2021/01/13 午前10:00 - Alice: ok",
		"bengali-digits":   "৩১/১২/২০, ২৩:৫৯ - Alice: hello\n০১/০১/২১, ০০:০৫ - Bob: hi\n১৩/০১/২১, ১০:০০ - Alice: ok",
		"devanagari":       "३१/१२/२०, ११:५९ pm - Alice: hello\n०१/०१/२१, १२:०५ am - Bob: hi\n१३/०१/२१, १०:०० am - Alice: ok",
		"malay":            "31/12/2020, 11:59 PTG - Alice: hello\n01/01/2021, 12:05 PG - Bob: hi\n13/01/2021, 10:00 PG - Alice: ok",
		"greek":            "31/12/20, 11:59 μ.μ. - Alice: hello\n1/1/21, 12:05 π.μ. - Bob: hi\n13/1/21, 10:00 π.μ. - Alice: ok",
		"vietnamese-ampm":  "31/12/20 11:59 CH - Alice: hello\n01/01/21 12:05 SA - Bob: hi\n13/01/21 10:00 SA - Alice: ok",
		"afrikaans":        "2020-12-31, 11:59 nm. - Alice: hello\n2021-01-01, 12:05 vm. - Bob: hi\n2021-01-13, 10:00 vm. - Alice: ok",
		"albanian":         "31.12.20, 11:59 e pasdites - Alice: hello\n1.1.21, 12:05 e paradites - Bob: hi\n13.1.21, 10:00 e paradites - Alice: ok",
		"swiss-ios-ampm":   "[31.12.20, 11:59:59 PM] Alice: hello\n[01.01.21, 12:05:01 AM] Bob: hi\n[13.01.21, 10:00:00 AM] Alice: ok",
		"myanmar-digits":   "၃၁/၁၂/၂၀, ၂၃:၅၉ - Alice: hello\n၀၁/၀၁/၂၁, ၀၀:၀၅ - Bob: hi\n၁၃/၀၁/၂၁, ၁၀:၀၀ - Alice: ok",
		"ios-no-seconds":   "[31/12/2020, 23:59] Alice: hello\n[01/01/2021, 00:05] Bob: hi\n[13/01/2021, 10:00] Alice: ok",
		"catalan-ampm":     "31/12/20 11:59 p.\u00a0m. - Alice: hello\n1/1/21 12:05 a.\u00a0m. - Bob: hi\n13/1/21 10:00 a.\u00a0m. - Alice: ok",
		"turkish-12h":      "31.12.2020 11:59 ÖS - Alice: hello\n1.01.2021 12:05 ÖÖ - Bob: hi\n13.01.2021 10:00 ÖÖ - Alice: ok",
		"ukrainian-12h":    "31.12.20, 11:59 пп - Alice: hello\n01.01.21, 12:05 дп - Bob: hi\n13.01.21, 10:00 дп - Alice: ok",
		"hebrew-12h":       "31.12.2020, 11:59 אחה״צ - Alice: hello\n1.1.2021, 12:05 לפנה״צ - Bob: hi\n13.1.2021, 10:00 לפנה״צ - Alice: ok",
	}
	for name, s := range samples {
		l, err := Scan(strings.NewReader(s), Options{})
		var got []string
		if err == nil {
			err = Parse(strings.NewReader(s), l, Options{}, func(r *Record) error {
				got = append(got, fmt.Sprintf("%04d-%02d-%02d %02d:%02d %s|%s", r.Time.Year, r.Time.Month, r.Time.Day, r.Time.Hour, r.Time.Minute, r.Author, r.Text))
				return nil
			})
		}
		if err != nil || fmt.Sprintf("%q", got) != want {
			t.Errorf("%s: %v %q\nwant %s", name, err, got, want)
		}
	}
}

func TestNoonPeriod(t *testing.T) {
	for hour, want := range map[int]int{11: 11, 12: 12, 1: 13, 2: 14} {
		if got := to24(hour, dpNoon); got != want {
			t.Errorf("中午%d = %d, want %d", hour, got, want)
		}
	}
}

// A chat saved again as UTF-16 (Windows Notepad's "Unicode") reads like the UTF-8 original.
func TestUTF16Chat(t *testing.T) {
	chat := "31/12/2020, 23:59 - Alice: héllo 👋\n01/01/2021, 00:05 - Bob: hi\n"
	for name, enc := range map[string]func(string) []byte{"utf-16le": utf16LE, "utf-16be": utf16BE} {
		data := enc(chat)
		l, err := Scan(bytes.NewReader(data), Options{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var got []string
		if err := Parse(bytes.NewReader(data), l, Options{}, func(r *Record) error {
			got = append(got, r.Author+"|"+r.Text)
			return nil
		}); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if fmt.Sprint(got) != "[Alice|héllo 👋 Bob|hi]" {
			t.Errorf("%s: %q", name, got)
		}
	}
}

func utf16LE(s string) []byte {
	out := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}

func utf16BE(s string) []byte {
	out := []byte{0xFE, 0xFF}
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u>>8), byte(u))
	}
	return out
}
