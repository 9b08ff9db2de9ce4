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
	CodeReadOnly         Code = "read_only" // the store cannot write now (disk full, read-only)
	CodeNotOwner         Code = "not_owner"
	CodeNotAdmin         Code = "not_admin"
	CodeMethodNotAllowed Code = "method_not_allowed"
	CodeInternal         Code = "internal"
)

// Error is an error the client may be told about: a code for programs, the
// field it concerns, and a catalogue key with named arguments
// ("max", 200) that the web layer renders in the request's language. No
// prose lives below the web layer.
type Error struct {
	Code  Code
	Field string
	// Key names the message in the catalogue (internal/i18n), "err.…".
	Key string
	// Args are the message's placeholders as name, value pairs.
	Args []any
	// Err is the cause, logged but never sent to the client.
	Err error
}

func (e *Error) Error() string {
	s := string(e.Code) + ": " + e.Key
	if e.Field != "" {
		s += " (" + e.Field + ")"
	}
	if len(e.Args) > 0 {
		s += fmt.Sprint(e.Args)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// New is an error of code with the message key and its arguments.
func New(code Code, key string, args ...any) *Error {
	return &Error{Code: code, Key: key, Args: args}
}

// Invalid reports a bad value of one input field.
func Invalid(field, key string, args ...any) *Error {
	return &Error{Code: CodeInvalidParameter, Field: field, Key: key, Args: args}
}

// NotFound reports a missing resource.
func NotFound(key string, args ...any) *Error {
	return &Error{Code: CodeNotFound, Key: key, Args: args}
}

// Conflict reports a write based on a stale version, or one the
// resource's state does not allow.
func Conflict(key string, args ...any) *Error {
	return &Error{Code: CodeConflict, Key: key, Args: args}
}

// Unavailable reports that a dependency needed for the answer is down.
func Unavailable(cause error, key string, args ...any) *Error {
	return &Error{Code: CodeUnavailable, Key: key, Args: args, Err: cause}
}

// Wrap is e with cause attached (to be logged, never shown).
func (e *Error) Wrap(cause error) *Error {
	c := *e
	c.Err = cause
	return &c
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
