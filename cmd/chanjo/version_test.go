package main

import (
	"runtime/debug"
	"testing"
)

func TestBuildVersion(t *testing.T) {
	stamped := &debug.BuildInfo{Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "f904993a1b2c3d4e5f60718293a4b5c6d7e8f901"},
		{Key: "vcs.time", Value: "2026-12-06T21:55:29Z"},
		{Key: "vcs.modified", Value: "true"},
	}}
	tests := []struct {
		name   string
		linked string
		info   *debug.BuildInfo
		want   string
	}{
		{"linker wins", "1.4.0", stamped, "1.4.0"},
		{"vcs stamp", "dev", stamped, "f904993a1b2c 2026-12-06T21:55:29Z modified"},
		{"clean checkout", "dev", &debug.BuildInfo{Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc"}, {Key: "vcs.modified", Value: "false"}}}, "abc"},
		{"go run, no stamp", "dev", &debug.BuildInfo{}, "dev"},
		{"no build info", "dev", nil, "dev"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := buildVersion(tt.linked, tt.info); got != tt.want {
				t.Errorf("buildVersion(%q) = %q, want %q", tt.linked, got, tt.want)
			}
		})
	}
}
