package export

import "github.com/chatvault/chatvault/archive"

// TransferLabel words a transfer or red packet for the archive's owner: fromMe says the owner
// sent the message that carries it. The viewer's app.js words them the same way.
func TransferLabel(t *archive.Transfer, fromMe bool) string {
	if t.Type == "red_packet" {
		if fromMe {
			return "Red packet sent"
		}
		return "Red packet"
	}
	switch t.State {
	case "sent":
		if fromMe {
			return "Transfer sent"
		}
		return "Transfer received"
	case "accepted":
		if fromMe {
			return "Transfer accepted by you"
		}
		return "Transfer accepted"
	case "returned":
		return "Transfer returned"
	case "pending":
		return "Transfer pending"
	case "":
		return "Transfer"
	}
	return "Transfer (" + CleanName(t.State) + ")"
}
