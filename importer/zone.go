package importer

import (
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ZoneName names a time zone for reports and provenance. time.Local calls itself "Local",
// which says nothing once the archive moves to another machine, so the system zone is looked up.
func ZoneName(loc *time.Location) string {
	if loc != time.Local {
		return loc.String()
	}
	if tz := os.Getenv("TZ"); tz != "" {
		return strings.TrimPrefix(tz, ":")
	}
	if target, err := filepath.EvalSymlinks("/etc/localtime"); err == nil {
		if i := strings.Index(target, "zoneinfo/"); i >= 0 {
			return target[i+len("zoneinfo/"):]
		}
	}
	name, off := time.Now().Zone()
	return name + " (UTC" + time.Unix(0, 0).In(time.FixedZone("", off)).Format("-07:00") + ")"
}
