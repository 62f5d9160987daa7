package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/chanjo-health/chanjo/whatsapp/fakegraph"
)

// waAnswerWait is how long the WhatsApp phone waits for Chanjo's answer to one message.
const waAnswerWait = 30 * time.Second

// dialWhatsApp is the terminal phone in WhatsApp mode, through the fake Graph API at fake: each
// line she types is her message (the fake posts it, signed, to Chanjo's webhook), and each message
// Chanjo sends her through the fake is shown as WhatsApp shows it, with the id to type for each row
// or button (a typed number works on every screen).
func dialWhatsApp(ctx context.Context, e env, fake, p string) error {
	client := &http.Client{Timeout: 10 * time.Second}
	fmt.Fprintf(e.stdout, "WhatsApp from %s through the fake at %s: write to Chanjo (e.g. Hi); q quits\n> ", p, fake)
	next := 0
	if _, n, err := waSent(ctx, client, fake, p, 0); err == nil {
		next = n // only what comes from now on
	} else {
		return err
	}
	in := bufio.NewScanner(e.stdin)
	for in.Scan() {
		line := strings.TrimRight(in.Text(), "\r")
		if line == "q" {
			return nil
		}
		body, _ := json.Marshal(map[string]string{"from": strings.TrimPrefix(p, "+"), "text": line})
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, fake+"/_fake/inbound", bytes.NewReader(body))
		resp, err := client.Do(req)
		if err != nil {
			return fmt.Errorf("dial: the fake WhatsApp at %s: %w", fake, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("dial: the fake WhatsApp answered %s", resp.Status)
		}
		deadline := time.Now().Add(waAnswerWait)
		for {
			msgs, n, err := waSent(ctx, client, fake, p, next)
			if err != nil {
				return err
			}
			next = n
			for _, m := range msgs {
				fmt.Fprintf(e.stdout, "\n%s\n", waShow(m))
			}
			if len(msgs) > 0 {
				break
			}
			if time.Now().After(deadline) {
				fmt.Fprintf(e.stdout, "\n(no answer in %s: is chanjo serve running with WA_BASE_URL=%s?)\n", waAnswerWait, fake)
				break
			}
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(200 * time.Millisecond):
			}
		}
		fmt.Fprint(e.stdout, "> ")
	}
	fmt.Fprintln(e.stdout)
	return in.Err()
}

// waSent asks the fake for the messages sent to p from position after on.
func waSent(ctx context.Context, client *http.Client, fake, p string, after int) ([]fakegraph.Message, int, error) {
	u := fake + "/_fake/sent?" + url.Values{"to": {p}, "after": {strconv.Itoa(after)}}.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, 0, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, 0, fmt.Errorf("dial: the fake WhatsApp at %s: %w (start it with chanjo fake-whatsapp)", fake, err)
	}
	defer resp.Body.Close()
	var got struct {
		Messages []fakegraph.Message
		Next     int
	}
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&got) != nil {
		return nil, 0, fmt.Errorf("dial: the fake WhatsApp at %s answered %s to /_fake/sent", fake, resp.Status)
	}
	return got.Messages, got.Next, nil
}

// waShow renders a sent message as the phone shows it: a text; a list's or buttons' body, then one
// "[id] title" line a row or button; a template's name and its parameters.
func waShow(m fakegraph.Message) string {
	type row struct{ ID, Title string }
	var b struct {
		Text        struct{ Body string }
		Interactive struct {
			Type   string
			Body   struct{ Text string }
			Action struct {
				Button   string
				Sections []struct{ Rows []row }
				Buttons  []struct{ Reply row }
			}
		}
		Template struct {
			Name       string
			Components []struct{ Parameters []struct{ Text string } }
		}
	}
	if err := json.Unmarshal(m.Body, &b); err != nil {
		return "[" + m.Type + "]"
	}
	var s strings.Builder
	switch m.Type {
	case "text":
		s.WriteString(b.Text.Body)
	case "interactive":
		s.WriteString(b.Interactive.Body.Text)
		var rows []row
		for _, sec := range b.Interactive.Action.Sections {
			rows = append(rows, sec.Rows...)
		}
		for _, btn := range b.Interactive.Action.Buttons {
			rows = append(rows, btn.Reply)
		}
		if b.Interactive.Type == "list" {
			s.WriteString("\n[list: " + b.Interactive.Action.Button + "]")
		}
		for _, r := range rows {
			s.WriteString("\n  [" + r.ID + "] " + r.Title)
		}
	case "template":
		s.WriteString("[template " + b.Template.Name + "]")
		for _, c := range b.Template.Components {
			for _, p := range c.Parameters {
				s.WriteString("\n" + p.Text)
			}
		}
	default:
		s.WriteString("[" + m.Type + "]")
	}
	return s.String()
}
