// Package form reads the service's HTML forms from their posted values
// (url.Values) and fills them back from stored values, so a refused form
// comes back exactly as it was sent. It knows nothing of HTTP.
package form

// Error is a bad value in a form, shown next to its field (by input id).
type Error struct{ Field, Message string }
