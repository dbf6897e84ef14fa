// Package html writes conversations as a folder of static web pages that open in any browser,
// offline, straight from the disk:
//
//	index.html                 every conversation, most recent first
//	search.html                search across everything, in the browser, no server
//	c/<id>/index.html          a conversation's months, each linking to its page
//	c/<id>/p<n>.html           pages of at most PageSize messages, with first/prev/next/last
//	c/<id>/s<n>.js             the conversation's search data, loaded one piece at a time
//	media/<sha256>.<ext>       media files, named by content and a safe extension
//	assets/                    style sheet and scripts
//	.chatvault-export.json     marks the folder as an export (re-exporting replaces it)
//
// A chat of 300,000 messages is 300 pages, each of which opens at once. Pages are rendered with
// html/template (contextual escaping), carry a Content-Security-Policy that allows only the
// export's own files and no inline script, and link media only under names chatvault makes: a
// message, a name or a file name can show anything but run nothing and reach nothing outside
// the folder.
package html
