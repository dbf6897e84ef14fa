package html

import (
	"strconv"

	"github.com/chromedp/cdproto/page"
)

func strconvI(n int64) string { return strconv.FormatInt(n, 10) }

var pageLoad = page.LoadEventFired
