package kvtest

import (
	"net"
	"sync"
	"testing"
)

// Proxy is a TCP proxy a test puts in front of a Redis server to make it
// hang as a redis-server stopped with SIGSTOP does: while hung, clients
// still connect and their writes are taken, but nothing reaches the server
// and no answer comes back; on Resume what was held goes through, in
// order.
type Proxy struct {
	ln      net.Listener
	backend string
	// gate is held for writing while the proxy hangs; each chunk is
	// forwarded under a read lock.
	gate  sync.RWMutex
	mu    sync.Mutex
	hung  bool
	conns []net.Conn
}

// NewProxy starts a proxy to the server at backend (host:port) on a free
// local port; it stops when t ends.
func NewProxy(t testing.TB, backend string) *Proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("kvtest: proxy: %v", err)
	}
	p := &Proxy{ln: ln, backend: backend}
	go p.accept()
	t.Cleanup(p.close)
	return p
}

// Addr is the proxy's host:port.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// Hang stops forwarding in both directions.
func (p *Proxy) Hang() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.hung {
		p.hung = true
		p.gate.Lock()
	}
}

// Resume forwards again, starting with what was held.
func (p *Proxy) Resume() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.hung {
		p.hung = false
		p.gate.Unlock()
	}
}

func (p *Proxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		s, err := net.Dial("tcp", p.backend)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, c, s)
		p.mu.Unlock()
		go p.pipe(s, c)
		go p.pipe(c, s)
	}
}

// pipe copies from src to dst chunk by chunk, each through the gate.
func (p *Proxy) pipe(dst, src net.Conn) {
	defer dst.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			p.gate.RLock()
			_, werr := dst.Write(buf[:n])
			p.gate.RUnlock()
			if werr != nil {
				return
			}
		}
		if err != nil {
			src.Close()
			return
		}
	}
}

func (p *Proxy) close() {
	p.Resume()
	p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
}
