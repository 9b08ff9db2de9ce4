// Package audit is the append-only record of every write to a listing:
// who, when, which fields, before and after. The store writes an entry in
// the same transaction as the listing; nothing updates or deletes one.
package audit

import (
	"context"
	"time"

	"github.com/bergenreparerer/reparerer/internal/listing"
)

// Entry is one write to one listing.
type Entry struct {
	ID        int64
	ListingID string
	Actor     string
	Action    listing.Action
	// Version is the listing's version after the write.
	Version int
	At      time.Time
	Changes []listing.FieldChange
	// Note is the writer's reason, if they gave one.
	Note string
}

// Store reads the audit log.
type Store interface {
	// History returns the entries of one listing, oldest first.
	History(ctx context.Context, listingID string) ([]Entry, error)
	// Since returns the entries of one listing after the given version,
	// oldest first: what happened while a form was open.
	Since(ctx context.Context, listingID string, version int) ([]Entry, error)
	// Record appends an entry without field changes, for a decision
	// about the listing taken elsewhere (a claim, an error report).
	Record(ctx context.Context, listingID string, ch listing.Change) error
	// Entry returns one entry by its id.
	Entry(ctx context.Context, id int64) (Entry, error)
	// Recent returns the newest entries of any listing with one of the
	// actions, newest first: the municipality's review feed.
	Recent(ctx context.Context, limit int, actions ...listing.Action) ([]Entry, error)
}
