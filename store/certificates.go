package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Certificate is a nurse's completion certificate of one topic: what the
// public verification page shows, and nothing more.
type Certificate struct {
	Code   string    `db:"code"`
	Name   string    `db:"name"`
	Topic  string    `db:"topic"`
	Issued time.Time `db:"issued_at"`
}

// codeAlphabet leaves out 0, O, 1 and I, which read alike on a small
// screen; 8 of its 32 letters give 2^40 codes, too many to guess.
const (
	codeAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
	codeLen      = 8
)

// NewCertificateCode draws a certificate code, for the SMS that carries it
// to be worded before CompleteTopic stores both.
func NewCertificateCode() (string, error) {
	b := make([]byte, codeLen)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	for i := range b {
		b[i] = codeAlphabet[int(b[i])%len(codeAlphabet)]
	}
	return string(b), nil
}

const sqlIssueCertificate = `INSERT INTO certificates (code, worker_id, topic, issued_at) VALUES (?, ?, ?, ?)`

// issueCertificate issues the certificate of a topic the nurse has just
// completed, inside the transaction that records the completion. The time
// is kept to the microsecond, as PostgreSQL keeps it, so that the SMS and
// the verification page tell the same.
func (db *DB) issueCertificate(ctx context.Context, tx *Tx, workerID int64, topic, code string, at time.Time) error {
	_, err := tx.ExecContext(ctx, db.Rebind(sqlIssueCertificate), code, workerID, topic, at.UTC().Truncate(time.Microsecond))
	return err
}

const sqlCertificate = `SELECT c.code, w.name, c.topic, c.issued_at FROM certificates c JOIN workers w ON w.id = c.worker_id
WHERE c.code = ?`

// CertificateByCode returns the certificate with code, read as typed (case
// and spaces ignored); ErrNotFound when no certificate has it. A nurse's
// certificates go when her record is erased.
func (db *DB) CertificateByCode(ctx context.Context, code string) (Certificate, error) {
	code = strings.ToUpper(strings.Join(strings.Fields(code), ""))
	var c Certificate
	err := db.GetContext(ctx, &c, db.Rebind(sqlCertificate), code)
	if errors.Is(err, sql.ErrNoRows) {
		return Certificate{}, ErrNotFound
	}
	if err != nil {
		return Certificate{}, fmt.Errorf("store: certificate: %w", err)
	}
	c.Issued = c.Issued.UTC()
	return c, nil
}
