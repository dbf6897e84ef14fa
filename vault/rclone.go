package vault

import (
	"context"
	"fmt"
	"strings"

	"github.com/kopia/kopia/repo/blob"
	"github.com/kopia/kopia/repo/blob/rclone"
)

// parseRclone handles rclone://remote:path: every storage rclone knows,
// through an rclone binary that kopia starts and talks to over WebDAV. The
// remote's credentials stay in rclone's own config. A remote may also be
// written inline, as rclone allows (rclone://:local:/mnt/x,
// rclone://:sftp,host=nas:backups).
func parseRclone(rest string, o settings) (Destination, error) {
	if i := strings.LastIndexByte(rest, ':'); i < 0 || rest == ":" {
		return Destination{}, fmt.Errorf("rclone destination: want rclone://remote:path, got rclone://%s", rest)
	}

	opt := rclone.Options{
		RemotePath: rest,
		RCloneExe:  o.get("rclone-exe"),
		// rclone's WebDAV PUT may expose partial files; write-then-move avoids it.
		AtomicWrites: false,
	}

	if opt.RCloneExe == "" {
		opt.RCloneExe = "rclone"
	}

	return Destination{
		kind:    "rclone",
		display: "rclone://" + rest,
		newStorage: func(ctx context.Context, create bool) (blob.Storage, error) {
			o := opt

			return rclone.New(ctx, &o, create)
		},
	}, nil
}
