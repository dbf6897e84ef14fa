package telegram

import (
	"errors"
	"io/fs"
	"time"
)

func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }

func timeSeconds(s int) time.Duration { return time.Duration(s) * time.Second }
