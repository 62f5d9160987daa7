package fakegraph

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strconv"
	"time"
)

// Media lifetimes (whatsapp-api.md §2.5): an uploaded id lasts 30 days, the download URL a lookup
// gives lasts 5 minutes. The fake's clock decides, so tests move it past either.
const (
	MediaIDLife  = 30 * 24 * time.Hour
	MediaURLLife = 5 * time.Minute
)

type media struct {
	data     []byte
	mime     string
	uploaded time.Time
	urls     map[string]time.Time // download token → when its URL was given
}

// serveMedia answers POST /{pnid}/media (upload), GET /{media-id} (look up: a URL for 5 minutes) and
// GET /_media/{token} (download, with the bearer token); it reports whether the path was one of them.
func (s *Server) serveMedia(w http.ResponseWriter, r *http.Request, parts []string) bool {
	switch {
	case len(parts) == 3 && parts[1] == s.cfg.PhoneNumberID && parts[2] == "media" && r.Method == http.MethodPost:
		s.upload(w, r)
	case len(parts) == 2 && parts[0] == "_media" && r.Method == http.MethodGet:
		s.download(w, parts[1])
	case len(parts) == 2 && r.Method == http.MethodGet && s.hasMedia(parts[1]):
		s.lookUp(w, r, parts[1])
	default:
		return false
	}
	return true
}

func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	f, h, err := r.FormFile("file")
	if err != nil {
		writeError(w, http.StatusBadRequest, 100, "file is required")
		return
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, 100<<20))
	if err != nil {
		writeError(w, http.StatusBadRequest, 100, "file not readable")
		return
	}
	s.mu.Lock()
	s.seq++
	id := "FAKEMEDIA" + strconv.Itoa(s.seq)
	if s.media == nil {
		s.media = map[string]*media{}
	}
	s.media[id] = &media{data: data, mime: h.Header.Get("Content-Type"), uploaded: s.clock(), urls: map[string]time.Time{}}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"id": id})
}

func (s *Server) hasMedia(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.media[id]
	return ok
}

func (s *Server) lookUp(w http.ResponseWriter, r *http.Request, id string) {
	s.mu.Lock()
	m := s.media[id]
	now := s.clock()
	if now.Sub(m.uploaded) > MediaIDLife {
		s.mu.Unlock()
		writeError(w, http.StatusNotFound, 100, "Media expired")
		return
	}
	s.seq++
	token := id + "-" + strconv.Itoa(s.seq)
	m.urls[token] = now
	s.mu.Unlock()
	sum := sha256.Sum256(m.data)
	writeJSON(w, http.StatusOK, map[string]any{"messaging_product": "whatsapp", "id": id, "mime_type": m.mime,
		"sha256": hex.EncodeToString(sum[:]), "file_size": len(m.data), "url": s.URL() + "/_media/" + token})
}

// download serves a looked-up URL for MediaURLLife; after that, 404, as Meta's.
func (s *Server) download(w http.ResponseWriter, token string) {
	s.mu.Lock()
	var found *media
	for _, m := range s.media {
		if at, ok := m.urls[token]; ok && s.clock().Sub(at) <= MediaURLLife {
			found = m
		}
	}
	s.mu.Unlock()
	if found == nil {
		http.NotFound(w, nil)
		return
	}
	w.Header().Set("Content-Type", found.mime)
	w.Write(found.data)
}
