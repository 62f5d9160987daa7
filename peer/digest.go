package peer

import (
	"strings"

	"github.com/chanjo-health/chanjo/gsm"
	"github.com/chanjo-health/chanjo/lessons"
)

// DigestSegments is the most SMS parts a digest takes: three, the longest
// SMS Chanjo writes (a catalogue message's largest max). A digest of several
// relayed copies in three parts costs less than the copies one by one, and
// reaches a basic phone as one message.
const DigestSegments = 3

// digestSep joins the copies in a digest.
const digestSep = "; "

// Fold is one SMS of a digest: its text and how many of the copies, taken
// in order, it holds.
type Fold struct {
	Text   string
	Copies int
}

// Digest folds bodies, the relayed copies waiting for one member (oldest
// first), into as few SMS as hold them in order, each within DigestSegments
// parts and worded in lang ("3 group messages: Amina (Kibra) #4: …; …").
// Nothing is lost: what does not fit goes in the next fold, and a copy too
// long to share an SMS goes alone, as it is.
func Digest(p *lessons.Pack, lang string, bodies []string) []Fold {
	var out []Fold
	for start := 0; start < len(bodies); {
		n := 1
		for start+n < len(bodies) && fits(p, lang, bodies[start:start+n+1]) {
			n++
		}
		text := bodies[start]
		if n > 1 {
			text = digest(p, lang, bodies[start:start+n])
		}
		out = append(out, Fold{Text: text, Copies: n})
		start += n
	}
	return out
}

func fits(p *lessons.Pack, lang string, bodies []string) bool {
	return gsm.Segments(digest(p, lang, bodies)).Segments <= DigestSegments
}

func digest(p *lessons.Pack, lang string, bodies []string) string {
	return p.Say(lang, "peer.digest", "count", len(bodies), "messages", strings.Join(bodies, digestSep))
}
