package ussd

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/chanjo-health/chanjo/kv"
	"github.com/chanjo-health/chanjo/store"
)

// drainEvery is how often an instance writes the marks kept in Redis.
const drainEvery = 2 * time.Second

// spillChunk is the number of marks a script call carries.
const spillChunk = 1000

// pageSpill keeps the marks the database did not take in a real Redis,
// where every instance finds them: one hash, a field per nurse and lesson
// ("worker|lesson") whose value orders by time ("nanos|page|done"), so a
// newer mark is never replaced by an older one and a mark written is
// removed only if no newer one came since.
type pageSpill struct {
	kv  *kv.Client
	key string
}

// spillPut keeps each field's newest value.
var spillPut = redis.NewScript(`
for i = 1, #ARGV, 2 do
  local cur = redis.call('HGET', KEYS[1], ARGV[i])
  if not cur or cur < ARGV[i+1] then redis.call('HSET', KEYS[1], ARGV[i], ARGV[i+1]) end
end
return 0`)

// spillDone removes the fields still holding the value that was written.
var spillDone = redis.NewScript(`
for i = 1, #ARGV, 2 do
  if redis.call('HGET', KEYS[1], ARGV[i]) == ARGV[i+1] then redis.call('HDEL', KEYS[1], ARGV[i]) end
end
return 0`)

// SpillTo makes p keep the marks the database does not take in c, a real
// Redis, instead of its memory, where any instance writes them once the
// database answers (this one included, after a restart). Call it before Run.
func (p *Progress) SpillTo(c *kv.Client) {
	p.spill = &pageSpill{kv: c, key: c.Key("ussd", "pages-held")}
}

func spillField(m store.PageMark) string { return fmt.Sprintf("%d|%s", m.WorkerID, m.Lesson) }

func spillValue(m store.PageMark) string {
	return fmt.Sprintf("%020d|%d|%t", m.At.UnixNano(), m.Page, m.Done)
}

// put keeps marks in Redis.
func (s *pageSpill) put(ctx context.Context, marks []store.PageMark) error {
	ctx, cancel := context.WithTimeout(ctx, saveTimeout)
	defer cancel()
	for start := 0; start < len(marks); start += spillChunk {
		args := make([]any, 0, 2*spillChunk)
		for _, m := range marks[start:min(start+spillChunk, len(marks))] {
			args = append(args, spillField(m), spillValue(m))
		}
		if err := spillPut.Run(ctx, s.kv, []string{s.key}, args...).Err(); err != nil {
			return fmt.Errorf("ussd: keep lesson pages in redis: %w", err)
		}
	}
	return nil
}

// take returns about limit marks kept in Redis, and their fields and values
// for done.
func (s *pageSpill) take(ctx context.Context, limit int) ([]store.PageMark, []string, error) {
	kvs, _, err := s.kv.HScan(ctx, s.key, 0, "", int64(limit)).Result()
	if err != nil {
		return nil, nil, fmt.Errorf("ussd: read lesson pages kept in redis: %w", err)
	}
	marks := make([]store.PageMark, 0, len(kvs)/2)
	for i := 0; i+1 < len(kvs); i += 2 {
		if m, ok := parseSpilled(kvs[i], kvs[i+1]); ok {
			marks = append(marks, m)
		}
	}
	return marks, kvs, nil
}

// done removes the fields written, unless a newer mark replaced them.
func (s *pageSpill) done(ctx context.Context, kvs []string) error {
	for start := 0; start < len(kvs); start += 2 * spillChunk {
		chunk := kvs[start:min(start+2*spillChunk, len(kvs))]
		args := make([]any, len(chunk))
		for i, v := range chunk {
			args[i] = v
		}
		if err := spillDone.Run(ctx, s.kv, []string{s.key}, args...).Err(); err != nil {
			return fmt.Errorf("ussd: forget lesson pages kept in redis: %w", err)
		}
	}
	return nil
}

func parseSpilled(field, value string) (store.PageMark, bool) {
	worker, lesson, ok1 := strings.Cut(field, "|")
	parts := strings.Split(value, "|")
	if !ok1 || len(parts) != 3 {
		return store.PageMark{}, false
	}
	id, err1 := strconv.ParseInt(worker, 10, 64)
	nanos, err2 := strconv.ParseInt(parts[0], 10, 64)
	page, err3 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil || err3 != nil {
		return store.PageMark{}, false
	}
	return store.PageMark{WorkerID: id, Lesson: lesson, Page: page, Done: parts[2] == "true", At: time.Unix(0, nanos).UTC()}, true
}

// drain writes a batch of the marks kept in Redis and forgets those
// written. Every instance drains: two may write the same marks, which
// SaveLessonPages takes as once.
func (p *Progress) drain() {
	ctx, cancel := context.WithTimeout(context.Background(), saveTimeout)
	defer cancel()
	marks, kvs, err := p.spill.take(ctx, 20*p.size)
	if err != nil || len(marks) == 0 {
		return // Redis not answering: the hops say so; the next tick tries again
	}
	if p.save(ctx, marks) == nil {
		if err := p.spill.done(ctx, kvs); err != nil {
			p.log.Warn("lesson pages written stay in redis, to be written again", "err", err)
		}
	}
}
