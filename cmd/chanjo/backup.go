package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/chanjo-health/chanjo/store"
)

const (
	backupSynopsis  = "backup FILE"
	restoreSynopsis = "restore FILE"
	// pgBackupHint points PostgreSQL operators to the README.
	pgBackupHint = `DATABASE_URL is PostgreSQL: back it up with pg_dump and restore with pg_restore, as the README's "Backups" section says`
)

// runBackup writes a consistent copy of the SQLite database to FILE while
// the service runs, and prints the row counts of the copy.
func runBackup(ctx context.Context, e env, args []string) error {
	file, err := fileArg(e, "backup", backupSynopsis, args)
	if file == "" {
		return err
	}
	cfg, err := loadConfig(e.getenv)
	if err != nil {
		return err
	}
	if store.SQLitePath(cfg.DatabaseURL) == "" {
		return errors.New("backup: " + pgBackupHint)
	}
	// No migration: a backup copies the database as the service has it.
	db, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return fmt.Errorf("DATABASE_URL: %w", err)
	}
	defer db.Close()
	counts, err := db.Backup(ctx, file)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "backup %s: a consistent copy of %s at %s; its rows:\n", file, cfg.DatabaseURL, time.Now().UTC().Format(time.RFC3339))
	printCounts(e.stdout, counts)
	return nil
}

// runRestore puts a backup in place of the SQLite database, with every
// instance stopped. The database it replaces is kept beside it.
func runRestore(ctx context.Context, e env, args []string) error {
	file, err := fileArg(e, "restore", restoreSynopsis, args)
	if file == "" {
		return err
	}
	cfg, err := loadConfig(e.getenv)
	if err != nil {
		return err
	}
	target := store.SQLitePath(cfg.DatabaseURL)
	if target == "" {
		return errors.New("restore: " + pgBackupHint)
	}
	counts, err := store.CheckBackup(ctx, file)
	if err != nil {
		return err
	}
	kept, err := setAside(ctx, target)
	if err != nil {
		return err
	}
	if err := copyFile(file, target); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "restored %s from %s; its rows:\n", target, file)
	printCounts(e.stdout, counts)
	if kept != "" {
		fmt.Fprintf(e.stdout, "the database it replaced is kept as %s\n", kept)
	}
	return nil
}

func fileArg(e env, name, synopsis string, args []string) (string, error) {
	fs := flags(e, name, synopsis)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return "", nil
		}
		return "", errUsage
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return "", errUsage
	}
	return fs.Arg(0), nil
}

func printCounts(w io.Writer, counts []store.TableCount) {
	for _, c := range counts {
		fmt.Fprintf(w, "  %-20s %d\n", c.Table, c.Rows)
	}
}

// setAside renames the database at path (with its WAL files) to a name
// that says when it was replaced, and returns that name ("" when there was
// none). A database in use is refused: when the last connection closes,
// SQLite folds the WAL file into the database and deletes it, so a WAL file
// that outlives our own open and close belongs to a running instance.
func setAside(ctx context.Context, path string) (string, error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	db, err := store.Open(ctx, path)
	if err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	db.Close()
	if _, err := os.Stat(path + "-wal"); err == nil {
		return "", fmt.Errorf("restore: %s is in use: stop every chanjo serve first", path)
	}
	kept := path + ".before-restore-" + time.Now().UTC().Format("20060102T150405Z")
	if err := os.Rename(path, kept); err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	os.Remove(path + "-shm")
	return kept, nil
}

// copyFile copies src to dst through a temporary file in dst's folder,
// synced before the rename, so dst is never half written.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer in.Close()
	tmp, err := os.CreateTemp(filepath.Dir(dst), filepath.Base(dst)+".restore-*")
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = io.Copy(tmp, in)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), dst)
	}
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	return nil
}
