package main

import "runtime/debug"

// The garbage collector's defaults for serve. A hop allocates about 10 kB
// and keeps almost none of it: with Go's default GOGC of 100 the live heap
// under load is about 9 MB, so the collector ran every few milliseconds and
// its marking was a tenth of serve's CPU (docs/performance.md, "The lesson
// and dial walks after i15-walk"). A larger percent collects less often;
// the memory limit makes it collect sooner again before the process grows,
// so resident memory stays well under the 100 MB that issue 15 allows.
const (
	serveGCPercent   = 400
	serveMemoryLimit = 48 << 20
)

// tuneGC sets serve's GC percent and memory limit, each unless the operator
// set GOGC or GOMEMLIMIT, which the runtime has already applied.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(serveGCPercent)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(serveMemoryLimit)
	}
}
