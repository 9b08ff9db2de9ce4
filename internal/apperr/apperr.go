// Package apperr defines the one error type that carries a machine-readable
// code and a message that is safe to show to a client.
package apperr

import (
	"errors"
	"fmt"
)

// Code is a machine-readable error code; the HTTP layer maps each to a
// status in one place.
type Code string

// The codes errors carry.
const (
	CodeInvalidParameter Code = "invalid_parameter"
	CodeUnknownParameter Code = "unknown_parameter"
	CodeInvalid          Code = "invalid"
	CodeNotFound         Code = "not_found"
	CodeConflict         Code = "conflict"
	CodeUnauthorized     Code = "unauthorized"
	CodeForbidden        Code = "forbidden"
	CodeRateLimited      Code = "rate_limited"
	CodeUnavailable      Code = "search_unavailable"
	CodeMailUnavailable  Code = "mail_unavailable"
	CodeNotOwner         Code = "not_owner"
	CodeNotAdmin         Code = "not_admin"
	CodeMethodNotAllowed Code = "method_not_allowed"
	CodeInternal         Code = "internal"
)

// Error is an error whose Message may be shown to the client as is.
type Error struct {
	Code    Code   `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
	// Err is the cause, logged but never sent to the client.
	Err error `json:"-"`
}

func (e *Error) Error() string {
	s := string(e.Code) + ": " + e.Message
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
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// Is reports whether err carries the given code.
func Is(err error, code Code) bool { return err != nil && CodeOf(err) == code }
