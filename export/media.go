package export

import (
	"path"
	"strings"
)

// Media files are copied into exports under names chatvault makes (the content's SHA-256 and an
// extension from a fixed list), never under a name from the chat: a file name is untrusted, and
// an extension decides what a browser does with a file it opens. An .html or .svg attachment
// opened from an export folder would run its scripts with the export's origin, so anything not on
// the list below is written as .bin, which browsers only download.

// safeTypes maps the media types an export shows or links to their extension.
var safeTypes = map[string]string{
	"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp", "image/bmp": "bmp",
	"image/heic": "heic", "image/heif": "heif", "image/avif": "avif",
	"video/mp4": "mp4", "video/3gpp": "3gp", "video/quicktime": "mov", "video/webm": "webm", "video/x-matroska": "mkv",
	"audio/ogg": "ogg", "audio/opus": "opus", "audio/mpeg": "mp3", "audio/mp4": "m4a", "audio/x-m4a": "m4a", "audio/aac": "aac",
	"audio/wav": "wav", "audio/x-wav": "wav", "audio/wave": "wav", "audio/amr": "amr", "audio/webm": "weba", "audio/flac": "flac",
	"application/pdf": "pdf", "text/plain": "txt", "text/vcard": "vcf", "text/x-vcard": "vcf", "text/csv": "csv",
	"application/zip": "zip", "application/msword": "doc", "application/vnd.ms-excel": "xls", "application/vnd.ms-powerpoint": "ppt",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   "docx",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         "xlsx",
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
	"application/vnd.oasis.opendocument.text":                                   "odt",
	"application/vnd.oasis.opendocument.spreadsheet":                            "ods",
	"application/epub+zip": "epub", "application/x-7z-compressed": "7z", "application/x-rar-compressed": "rar",
	"application/vnd.android.package-archive": "apk",
}

// safeExts is the reverse: every extension an export may write, with its canonical media type.
var safeExts = func() map[string]string {
	// Extensions several types share get one canonical type; the rest map back one to one.
	m := map[string]string{"jpeg": "image/jpeg", "opus": "audio/ogg", "oga": "audio/ogg", "3gpp": "video/3gpp", "m4v": "video/mp4",
		"wav": "audio/wav", "m4a": "audio/mp4", "vcf": "text/vcard"}
	for t, e := range safeTypes {
		if _, ok := m[e]; !ok {
			m[e] = t
		}
	}
	return m
}()

// SafeType returns the extension (without a dot) and media type an export uses for a file with
// the given media type and original name: the media type decides when it is on the list; a file
// without a media type goes by its name's extension when that is on the list; everything else is
// "bin" and application/octet-stream.
func SafeType(mimeType, fileName string) (ext, typ string) {
	t := strings.ToLower(strings.TrimSpace(mimeType))
	if i := strings.IndexByte(t, ';'); i >= 0 {
		t = strings.TrimSpace(t[:i])
	}
	if e, ok := safeTypes[t]; ok {
		return e, safeExts[e]
	}
	if t != "" && t != "application/octet-stream" {
		return "bin", "application/octet-stream" // a type we know better than to show (html, svg, xml, ...)
	}
	e := strings.ToLower(strings.TrimPrefix(path.Ext(strings.ReplaceAll(fileName, "\\", "/")), "."))
	if t, ok := safeExts[e]; ok {
		return e, t
	}
	return "bin", "application/octet-stream"
}

// MediaName is the name a media file gets in an export folder: <sha256>.<safe extension>.
func MediaName(sha, mimeType, fileName string) string {
	ext, _ := SafeType(mimeType, fileName)
	return sha + "." + ext
}

// Shown says how a file of a safe media type is shown inline: "image", "video", "audio", or ""
// (a link to the file).
func Shown(typ string) string {
	switch {
	case typ == "image/heic" || typ == "image/heif":
		return "" // browsers cannot show these
	case strings.HasPrefix(typ, "image/"):
		return "image"
	case strings.HasPrefix(typ, "video/"):
		return "video"
	case strings.HasPrefix(typ, "audio/") && typ != "audio/amr":
		return "audio"
	}
	return ""
}
