package archive

// flagNames are the names flags have in the dump, the JSON export and the viewer: one list, so a
// flag added here is written and read everywhere.
var flagNames = []struct {
	flag Flags
	name string
}{
	{FlagEdited, "edited"},
	{FlagForwarded, "forwarded"},
	{FlagViewOnce, "view_once"},
	{FlagStarred, "starred"},
	{FlagDeleted, "deleted"},
}

// Names lists the set flags by name, in a fixed order.
func (f Flags) Names() []string {
	var out []string
	for _, fn := range flagNames {
		if f&fn.flag != 0 {
			out = append(out, fn.name)
		}
	}
	return out
}

// FlagsFromNames is the inverse of Names; unknown names (from a newer chatvault) are ignored.
func FlagsFromNames(names []string) Flags {
	var f Flags
	for _, n := range names {
		for _, fn := range flagNames {
			if fn.name == n {
				f |= fn.flag
			}
		}
	}
	return f
}
