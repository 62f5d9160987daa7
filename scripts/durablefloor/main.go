// Command durablefloor is the floor server of docs/performance.md "USSD
// throughput" (parse the gateway's form, one Redis GET and one SET of the
// session, answer a fixed screen) plus the least that a quiz with durable
// answers must add: on the hops of the quiz walk that start a quiz or answer
// a question (the 2nd, 3rd, 5th, 7th, 9th and 11th input), one row committed
// to the database before the screen. No menu, no reads, no triggers, no
// index but the key. It measures what the quiz walk's target can be on a
// machine: how near any server that keeps answers durable can come to the
// floor. Run it against 127.0.0.1 only, on a database of its own.
//
//	ADDR=127.0.0.1:8832 DATABASE_URL=postgres://…/durable go run ./scripts/durablefloor
//	ADDR=127.0.0.1:8834 DATABASE_URL=/tmp/durable.db go run ./scripts/durablefloor
//	chanjo bench --url http://127.0.0.1:8832/ussd --token x --floor http://127.0.0.1:8831/ussd --walk quiz
//
// With GROUP=1 the rows of concurrent hops are joined, as Chanjo's group
// commit joins answers: four writers each take the rows waiting (up to 100)
// and insert them in one statement, one commit; each hop still answers only
// once its row is committed.
package main

import (
	"context"
	"database/sql"
	"fmt"
	"log"
	"net/http"
	"os"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/redis/go-redis/v9"
	_ "modernc.org/sqlite"
)

// row is one hop's write; done receives its commit's outcome.
type row struct {
	session, input string
	hop            int
	done           chan error
}

func main() {
	addr, dsn := os.Getenv("ADDR"), os.Getenv("DATABASE_URL")
	driver, conns, serial := "pgx", 20, "BIGSERIAL"
	if !strings.HasPrefix(dsn, "postgres") {
		// As Chanjo opens SQLite: WAL, synchronous NORMAL, a pool of 4.
		driver, conns, serial = "sqlite", 4, "INTEGER"
		dsn = "file:" + dsn + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		log.Fatal(err)
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS answers (id ` + serial + ` PRIMARY KEY,
session TEXT NOT NULL, hop INTEGER NOT NULL, input TEXT NOT NULL, at TIMESTAMP NOT NULL)`); err != nil {
		log.Fatal(err)
	}
	write := func(rows []row) error {
		var q strings.Builder
		q.WriteString(`INSERT INTO answers (session, hop, input, at) VALUES `)
		args := make([]any, 0, 4*len(rows))
		for i, r := range rows {
			if i > 0 {
				q.WriteString(", ")
			}
			n := len(args)
			fmt.Fprintf(&q, "($%d, $%d, $%d, $%d)", n+1, n+2, n+3, n+4)
			args = append(args, r.session, r.hop, r.input, time.Now().UTC())
		}
		_, err := db.Exec(q.String(), args...)
		return err
	}
	var queue chan row
	if os.Getenv("GROUP") != "" {
		queue = make(chan row, 1000)
		for range 4 {
			go func() {
				for r := range queue {
					rows := []row{r}
				more:
					for len(rows) < 100 {
						select {
						case r := <-queue:
							rows = append(rows, r)
						default:
							break more
						}
					}
					err := write(rows)
					for _, r := range rows {
						r.done <- err
					}
				}
			}()
		}
	}

	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379", PoolSize: 200})
	screen := []byte("CON Chanjo - Hi Jane\n1. Lessons\n2. Quiz\n3. Stock calculator\n4. My progress\n5. Ask a mentor\n6. Settings")
	http.HandleFunc("/ussd", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
		defer cancel()
		id, text := r.PostFormValue("sessionId"), r.PostFormValue("text")
		prev, _ := rdb.Get(ctx, "durablefloor:"+id).Result()
		hop := 0
		if text != "" {
			hop = strings.Count(text, "*") + 1
		}
		switch hop {
		case 2, 3, 5, 7, 9, 11:
			one := row{session: id, input: text, hop: hop, done: make(chan error, 1)}
			var err error
			if queue != nil {
				queue <- one
				err = <-one.done
			} else {
				err = write([]row{one})
			}
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
		}
		rdb.Set(ctx, "durablefloor:"+id, prev+"|"+text, 5*time.Minute)
		w.Header().Set("Content-Type", "text/plain")
		w.Write(screen)
	})
	log.Fatal(http.ListenAndServe(addr, nil))
}
