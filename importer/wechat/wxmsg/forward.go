package wxmsg

import (
	"github.com/chatvault/chatvault/archive"
)

// maxDepth bounds histories forwarded inside histories.
const maxDepth = 8

// forwarded reads appmsg/recorditem (escaped or CDATA `<recordinfo>`) into a nested history.
func forwarded(record, title string, names Names) *archive.ForwardedHistory {
	if record == "" {
		return nil
	}
	var ri recordInfo
	if err := decode(record, &ri); err != nil {
		return nil
	}
	h := history(&ri, 0)
	if h.Title == "" {
		h.Title = title
	}
	return h
}

func history(ri *recordInfo, depth int) *archive.ForwardedHistory {
	h := &archive.ForwardedHistory{Title: ri.Title}
	for _, it := range ri.Items {
		fi := archive.ForwardedItem{Sender: it.SourceName, Kind: archive.KindText, Text: first(it.Desc, it.Title)}
		if it.CreateTime > 0 {
			fi.Time = millis(it.CreateTime)
		}
		switch it.DataType {
		case 2:
			fi.Kind = archive.KindPhoto
			fi.Details = &archive.Details{Missing: "forwarded file not stored with the history"}
		case 4:
			fi.Kind = archive.KindVideo
			fi.Details = &archive.Details{Missing: "forwarded file not stored with the history"}
		case 3:
			fi.Kind = archive.KindVoice
		case 5:
			fi.Details = &archive.Details{Link: &archive.Link{Type: "link", Title: first(it.Title, it.Desc), URL: it.Link}}
		case 6:
			fi.Kind = archive.KindLocation
			fi.Details = &archive.Details{Location: &archive.Location{Name: first(it.Loc.POI, it.Loc.Label, it.Desc)}}
			fi.Details.Location.Lat, fi.Details.Location.Lon = coords(it.Loc.Lat, it.Loc.Lng)
		case 8:
			fi.Kind = archive.KindDocument
			fi.Text = first(it.Title, it.Desc)
		case 16:
			fi.Kind = archive.KindContact
		case 17:
			if it.Nested != nil && depth < maxDepth {
				fi.Details = &archive.Details{Forwarded: history(it.Nested, depth+1)}
			}
		case 19:
			fi.Details = &archive.Details{Link: &archive.Link{Type: "mini_program", Title: first(it.Title, it.Desc)}}
		case 22:
			fi.Details = &archive.Details{Link: &archive.Link{Type: "channels", Title: first(it.Title, it.Desc)}}
		}
		h.Items = append(h.Items, fi)
	}
	return h
}
