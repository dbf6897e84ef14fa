package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/chatvault/chatvault/archive"
)

type meOptions struct {
	chat string
	json bool
}

func newMeCommand(g *globals) *cobra.Command {
	o := &meOptions{}
	c := &cobra.Command{
		Use:   "me [NAME]",
		Short: "Say which author is you, after the import",
		Long: `Say which author is you, without importing again. A text export does not say who
exported it: when the import cannot tell, the chat shows everyone's name on every message, and
the import report lists the names it saw.

With NAME, NAME's messages become yours (on your side of the chat, without your name) in every
conversation NAME wrote in, or only in --chat's; later imports recognise NAME as you too.
Conversations in which someone else is already you are left alone and named. The months that
change are backed up again by the next backup.

Without NAME, lists each conversation with who you are in it or, when unknown, the names seen
and a guess when one stands out (the one person in every two-person chat, or the other person
in a chat named after someone).

Examples:
  chatvault me                          # who is "me" where, and guesses
  chatvault me "Bob Smith"              # Bob Smith is me, wherever he wrote
  chatvault me Bob --chat Alice         # only in the chat with Alice` + exitStatusHelp,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return runMeList(cmd.Context(), g, o)
			}
			return runMeSet(cmd.Context(), g, o, args[0])
		},
	}
	c.Flags().StringVar(&o.chat, "chat", "", "only this conversation (title, part of it, or ID from `chatvault chats`)")
	c.Flags().BoolVar(&o.json, "json", false, "print JSON")
	return c
}

func runMeList(ctx context.Context, g *globals, o *meOptions) error {
	a, err := g.openExistingArchive(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	chats, err := a.MeChats(ctx)
	if err != nil {
		return err
	}
	if o.chat != "" {
		convs, err := a.FindConversations(ctx, o.chat)
		if err != nil {
			return usagef(err.Error())
		}
		chats = onlyChats(chats, convs)
	}
	if o.json {
		return printJSON(g.stdout, chats)
	}
	if len(chats) == 0 {
		fmt.Fprintln(g.stdout, "No conversation has messages from anyone yet.")
		return nil
	}
	for _, c := range chats {
		switch {
		case c.MeKnown && c.Me != "":
			fmt.Fprintf(g.stdout, "%s: you are %s\n", sanitizeTerminal(c.Title), sanitizeTerminal(c.Me))
		case c.MeKnown:
			fmt.Fprintf(g.stdout, "%s: your messages are known\n", sanitizeTerminal(c.Title))
		default:
			names := make([]string, len(c.Authors))
			for i, au := range c.Authors {
				names[i] = fmt.Sprintf("%s (%s)", sanitizeTerminal(au.Name), formatCount(int64(au.Messages)))
			}
			fmt.Fprintf(g.stdout, "%s: unknown; names seen: %s\n", sanitizeTerminal(c.Title), strings.Join(names, ", "))
			printMeGuess(g.stdout, c.Title, c.Guess)
		}
	}
	return nil
}

func onlyChats(chats []archive.MeChat, convs []archive.Conversation) []archive.MeChat {
	want := map[int64]bool{}
	for _, c := range convs {
		want[c.ID] = true
	}
	var out []archive.MeChat
	for _, c := range chats {
		if want[c.ConversationID] {
			out = append(out, c)
		}
	}
	return out
}

func runMeSet(ctx context.Context, g *globals, o *meOptions, name string) error {
	a, err := g.openExistingArchive(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	var ids []int64
	if o.chat != "" {
		convs, err := a.FindConversations(ctx, o.chat)
		if err != nil {
			return usagef(err.Error())
		}
		for _, c := range convs {
			ids = append(ids, c.ID)
		}
	}
	res, err := a.SetMe(ctx, name, ids)
	var unknown *archive.UnknownAuthorError
	if errors.As(err, &unknown) {
		where := ""
		if o.chat != "" {
			where = " in " + o.chat
		}
		return usagef(sanitizeTerminal(fmt.Sprintf("nobody called %q wrote%s; names seen: %s", name, where, strings.Join(unknown.Seen, ", "))))
	}
	if err != nil {
		return err
	}
	if o.json {
		return printJSON(g.stdout, res)
	}
	for _, m := range res.Marked {
		fmt.Fprintf(g.stdout, "%s: you are %s (%s marked as yours)\n", sanitizeTerminal(m.Conversation), sanitizeTerminal(res.Name),
			countOf(m.Messages, "message"))
	}
	for _, t := range res.Already {
		fmt.Fprintf(g.stdout, "%s: you were already %s\n", sanitizeTerminal(t), sanitizeTerminal(res.Name))
	}
	for _, c := range res.Conflict {
		fmt.Fprintf(g.stdout, "%s: left alone, you are %s there\n", sanitizeTerminal(c.Conversation), sanitizeTerminal(c.Me))
	}
	if len(res.Marked) > 0 {
		fmt.Fprintln(g.stdout, "The next backup carries the change.")
	}
	return nil
}

// printMeGuess says how to set "me" in a conversation: the guess as a command when there is one.
func printMeGuess(w io.Writer, title string, guess *archive.MeGuess) {
	if guess != nil {
		fmt.Fprintf(w, "  guess: you are %s (%s): chatvault me %s --chat %s\n", sanitizeTerminal(guess.Name),
			sanitizeTerminal(guess.Why), shellQuote(guess.Name), shellQuote(title))
		return
	}
	fmt.Fprintf(w, "  set it: chatvault me NAME --chat %s\n", shellQuote(title))
}

// shellQuote quotes a word for a POSIX shell when it needs it, so a suggested command can be
// pasted as it is.
func shellQuote(s string) string {
	s = sanitizeTerminal(s)
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r == '-' || r == '_' || r == '.' || r == '/' || r == '+' || r == '@' || r >= '0' && r <= '9' ||
			r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 0x7f)
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
