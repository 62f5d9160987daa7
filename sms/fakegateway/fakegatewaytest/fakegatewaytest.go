// Package fakegatewaytest starts the fake Africa's Talking gateway on a
// loopback port for tests and benchmarks; chanjo fake-gateway serves it on a
// fixed address instead.
package fakegatewaytest

import (
	"net/http/httptest"

	"github.com/chanjo-health/chanjo/sms/fakegateway"
)

// Server is a Gateway behind an httptest.Server.
type Server struct {
	*fakegateway.Gateway
	// URL is the base URL to give the client (AT_BASE_URL), e.g. "http://127.0.0.1:40123".
	URL string
	srv *httptest.Server
}

// NewServer starts a Gateway on a loopback port; Close stops both.
func NewServer(opts fakegateway.Options) *Server {
	g := fakegateway.New(opts)
	srv := httptest.NewServer(g)
	return &Server{Gateway: g, URL: srv.URL, srv: srv}
}

// Close stops the HTTP server, then the delivery-report workers.
func (s *Server) Close() {
	s.srv.Close()
	s.Gateway.Close()
}
