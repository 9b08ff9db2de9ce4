// Package apperr defines the one error type that carries a machine-readable
// code and a message that is safe to show to a client.
package apperr

import (
	"errors"
	"fmt"
)

// Codes understood by the HTTP layer; it maps each to a status in one place.
const (
	CodeInvalidParameter = "invalid_parameter"
	CodeUnknownParameter = "unknown_parameter"
	CodeInvalid          = "invalid"
	CodeNotFound         = "not_found"
	CodeConflict         = "conflict"
	CodeUnauthorized     = "unauthorized"
	CodeForbidden        = "forbidden"
	CodeRateLimited      = "rate_limited"
	CodeUnavailable      = "search_unavailable"
	CodeMailUnavailable  = "mail_unavailable"
	CodeNotOwner         = "not_owner"
	CodeNotAdmin         = "not_admin"
	CodeInternal         = "internal"
)

// Error is an error whose Message may be shown to the client as is.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
	// Err is the cause, logged but never sent to the client.
	Err error `json:"-"`
}

func (e *Error) Error() string {
	s := e.Code + ": " + e.Message
	if e.Field != "" {
		s += " (" + e.Field + ")"
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Invalid reports a bad value of one input field.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: CodeInvalidParameter, Field: field, Message: fmt.Sprintf(format, args...)}
}

// NotFound reports a missing resource.
func NotFound(format string, args ...any) *Error {
	return &Error{Code: CodeNotFound, Message: fmt.Sprintf(format, args...)}
}

// Conflict reports a write based on a stale version.
func Conflict(format string, args ...any) *Error {
	return &Error{Code: CodeConflict, Message: fmt.Sprintf(format, args...)}
}

// Unavailable reports that a dependency needed for the answer is down.
func Unavailable(cause error, format string, args ...any) *Error {
	return &Error{Code: CodeUnavailable, Message: fmt.Sprintf(format, args...), Err: cause}
}

// CodeOf returns the code of err, or CodeInternal when err carries none.
func CodeOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// Is reports whether err carries the given code.
func Is(err error, code string) bool { return err != nil && CodeOf(err) == code }
