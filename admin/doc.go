// Package admin is the supervisor console and the JSON API.
package admin
