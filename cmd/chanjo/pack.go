package main

import (
	"fmt"

	"github.com/chanjo-health/chanjo/lessons"
)

// loadPack loads the content pack of CONTENT_DIR, or the embedded one. A
// broken pack stops start-up with one line naming CONTENT_DIR: serving a
// half-valid pack would show nurses broken screens.
func loadPack(cfg Config) (*lessons.Pack, error) {
	if cfg.ContentDir == "" {
		p, err := lessons.Default()
		if err != nil {
			return nil, fmt.Errorf("embedded content pack: %w", err)
		}
		return p, nil
	}
	p, err := lessons.LoadDir(cfg.ContentDir)
	if err != nil {
		return nil, fmt.Errorf("CONTENT_DIR: %w", err)
	}
	return p, nil
}
