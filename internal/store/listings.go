package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/listing"
)

var _ listing.Store = (*DB)(nil)

const listingColumns = `id, slug, name, org_number, categories, services, description_nb, description_en,
	street, postcode, city, lat, lng, district, phone, email, website, opening_hours,
	price_info, price_from_nok, accepts_repair_voucher, wheelchair_accessible, status, hide_reason,
	verified_at, verified_by, confirmed_at, source_kind, source_ref, source_attribution,
	created_at, updated_at, version, provenance, verified_fields, approximate, conditions, marks, accepts_gift_card, kind`

// listingPlaceholders are one ? for each of listingColumns.
var listingPlaceholders = strings.TrimSuffix(strings.Repeat("?,", strings.Count(listingColumns, ",")+1), ",")

// Create inserts l, records it in the audit log and queues it for the
// search index, in one transaction.
func (s *DB) Create(ctx context.Context, l *listing.Listing, ch listing.Change) error {
	listing.Stamp(nil, l, ch, s.Now().UTC())
	args, err := listingArgs(l)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *txn) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO listings (`+listingColumns+`)
			VALUES (`+listingPlaceholders+`)`, args...)
		if isUniqueViolationOf(err, "listings", "slug") {
			return listing.ErrSlugTaken
		} else if err != nil {
			return fmt.Errorf("store: insert listing %q: %w", l.Slug, err)
		}
		if err := s.appendAudit(ctx, tx, l.ID, ch, l.Version, listing.Diff(nil, l)); err != nil {
			return err
		}
		if ch.OwnerID != "" {
			if err := addOwner(ctx, tx, l.ID, ch.OwnerID, l.CreatedAt); err != nil {
				return err
			}
		}
		if err := s.markPublished(ctx, tx, l); err != nil {
			return err
		}
		return s.enqueue(ctx, tx, l.ID)
	})
}

// markPublished records when a listing was first published.
func (s *DB) markPublished(ctx context.Context, tx *txn, l *listing.Listing) error {
	if !l.Published() {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE listings SET published_at = ? WHERE id = ? AND published_at IS NULL`,
		formatTime(s.Now()), l.ID); err != nil {
		return fmt.Errorf("store: mark listing %s published: %w", l.ID, err)
	}
	return nil
}

// PublishedSince are the ids of the listings first published after t.
// Times are text whose fractions are trimmed, which sorts a time within a
// second before the whole second: the query asks from a whole second
// before t, and the times are compared as times.
func (s *DB) PublishedSince(ctx context.Context, t time.Time) (map[string]bool, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, published_at FROM listings WHERE published_at > ?`,
		formatTime(t.Add(-time.Second).Truncate(time.Second)))
	if err != nil {
		return nil, fmt.Errorf("store: published since: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		var at time.Time
		if err := rows.Scan(&id, timeIn(&at)); err != nil {
			return nil, err
		}
		if at.After(t) {
			out[id] = true
		}
	}
	return out, rows.Err()
}

// Update replaces the listing if its stored version is l.Version, then
// increments l.Version; the audit entry (the fields that changed) and the
// outbox row are written in the same transaction.
func (s *DB) Update(ctx context.Context, l *listing.Listing, ch listing.Change) error {
	next := *l
	next.Version++
	err := s.inTx(ctx, func(tx *txn) error {
		before, err := scanListing(tx.QueryRowContext(ctx, `SELECT `+listingColumns+` FROM listings WHERE id = ?`, l.ID))
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.NotFound("err.store.no_listing")
		} else if err != nil {
			return err
		}
		// The stored provenance is the truth: the origins of the fields
		// this write changes are stamped on it.
		listing.Stamp(before, &next, ch, s.Now().UTC())
		args, err := listingArgs(&next)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE listings SET (`+listingColumns+`) =
			(`+listingPlaceholders+`)
			WHERE id = ? AND version = ?`, append(args, l.ID, l.Version)...)
		if err != nil {
			return fmt.Errorf("store: update listing %s: %w", l.ID, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("store: update listing %s: %w", l.ID, err)
		} else if n == 0 {
			return apperr.Conflict("err.store.stale_version", "have", before.Version, "sent", l.Version)
		}
		if err := s.appendAudit(ctx, tx, l.ID, ch, next.Version, listing.Diff(before, &next)); err != nil {
			return err
		}
		if err := s.reviewDomainOwners(ctx, tx, l.ID, before.Website, next.Website); err != nil {
			return err
		}
		if err := s.markPublished(ctx, tx, &next); err != nil {
			return err
		}
		return s.enqueue(ctx, tx, l.ID)
	})
	if err == nil {
		l.Version, l.Provenance = next.Version, next.Provenance
	}
	return err
}

// Get returns the listing with the given id.
func (s *DB) Get(ctx context.Context, id string) (*listing.Listing, error) {
	return s.one(ctx, `WHERE id = ?`, id)
}

// GetBySlug returns the listing with the given slug.
func (s *DB) GetBySlug(ctx context.Context, slug string) (*listing.Listing, error) {
	return s.one(ctx, `WHERE slug = ?`, slug)
}

// GetBySource returns the listing imported from the given source record.
func (s *DB) GetBySource(ctx context.Context, kind, ref string) (*listing.Listing, error) {
	if ref == "" {
		return nil, apperr.NotFound("err.store.no_listing_found")
	}
	// "source_ref <> ''" lets the engine use the partial unique index on
	// the source: a bound value alone does not prove it (a full scan per
	// imported row made an import quadratic).
	return s.one(ctx, `WHERE source_kind = ? AND source_ref = ? AND source_ref <> ''`, kind, ref)
}

// GetMany returns the listings of ids by id, reading at most 500 at a
// time (SQLite's limit on bound values is far above, PostgreSQL's too).
func (s *DB) GetMany(ctx context.Context, ids []string) (map[string]*listing.Listing, error) {
	out := make(map[string]*listing.Listing, len(ids))
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 500)]
		ids = ids[len(chunk):]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		ls, err := s.many(ctx, `WHERE id IN (`+strings.TrimSuffix(strings.Repeat("?,", len(chunk)), ",")+`)`, args...)
		if err != nil {
			return nil, err
		}
		for _, l := range ls {
			out[l.ID] = l
		}
	}
	return out, nil
}

// SlugTaken reports whether a listing already has the slug.
func (s *DB) SlugTaken(ctx context.Context, slug string) (bool, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM listings WHERE slug = ?`, slug).Scan(&n); err != nil {
		return false, fmt.Errorf("store: check slug %q: %w", slug, err)
	}
	return n > 0, nil
}

// LastSlugNumber is the highest n of the slugs "prefix-n" (0: none).
func (s *DB) LastSlugNumber(ctx context.Context, prefix string) (int, error) {
	var n sql.NullInt64
	start := len(prefix) + 2
	// A slug is [a-z0-9-]; digits only after the prefix, and at most 9 of
	// them: a longer number (a name such as "Sykkel 2000000000") is no
	// counter and would overflow.
	digitsOnly := `substr(slug, ?) NOT GLOB '*[^0-9]*'`
	if s.Postgres() {
		digitsOnly = `substr(slug, ?) ~ '^[0-9]+$'`
	}
	// The range "prefix-" ≤ slug < "prefix." (the byte after "-") reads
	// the slug index, not every listing.
	err := s.db.QueryRowContext(ctx, `SELECT max(CAST(substr(slug, ?) AS INTEGER)) FROM listings
		WHERE slug >= ? AND slug < ? AND length(slug) BETWEEN ? AND ? AND `+digitsOnly,
		start, prefix+"-", prefix+".", start, start+8, start).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: number slug %q: %w", prefix, err)
	}
	return int(n.Int64), nil
}

// Published returns every published listing, ordered by slug.
func (s *DB) Published(ctx context.Context) ([]*listing.Listing, error) {
	return s.many(ctx, `WHERE status = 'published' ORDER BY slug`)
}

// WithStatus returns the listings in one status, newest first.
func (s *DB) WithStatus(ctx context.Context, status listing.Status) ([]*listing.Listing, error) {
	return s.many(ctx, `WHERE status = ? ORDER BY created_at DESC`, status)
}

// All returns every listing in any status, ordered by slug.
func (s *DB) All(ctx context.Context) ([]*listing.Listing, error) {
	return s.many(ctx, `ORDER BY slug`)
}

// ChangedSince returns the listings written at or after t, in any status.
func (s *DB) ChangedSince(ctx context.Context, t time.Time) ([]*listing.Listing, error) {
	return s.many(ctx, `WHERE updated_at >= ? ORDER BY updated_at`, formatTime(t))
}

// CountPublished counts published listings per district and per category.
func (s *DB) CountPublished(ctx context.Context) (listing.Counts, error) {
	c := listing.Counts{ByDistrict: map[string]int{}, ByCategory: map[string]int{}}
	if err := s.countInto(ctx, c.ByDistrict, `SELECT district, count(*) FROM listings WHERE status = 'published' GROUP BY district`); err != nil {
		return c, err
	}
	each := `json_each(l.categories) c`
	if s.Postgres() {
		each = `jsonb_array_elements_text(l.categories::jsonb) c(value)`
	}
	err := s.countInto(ctx, c.ByCategory, `SELECT c.value, count(*) FROM listings l, `+each+`
		WHERE l.status = 'published' GROUP BY c.value`)
	return c, err
}

func (s *DB) countInto(ctx context.Context, into map[string]int, query string) error {
	rows, err := s.db.QueryContext(ctx, query)
	if err != nil {
		return fmt.Errorf("store: count listings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var key string
		var n int
		if err := rows.Scan(&key, &n); err != nil {
			return fmt.Errorf("store: count listings: %w", err)
		}
		into[key] = n
	}
	return rows.Err()
}

// Names returns the names of the listings of ids by id, in one query.
func (s *DB) Names(ctx context.Context, ids []string) (map[string]string, error) {
	out := make(map[string]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	marks := strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")
	rows, err := s.db.QueryContext(ctx, `SELECT id, name FROM listings WHERE id IN (`+marks+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: listing names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, fmt.Errorf("store: listing names: %w", err)
		}
		out[id] = name
	}
	return out, rows.Err()
}

func (s *DB) one(ctx context.Context, where string, args ...any) (*listing.Listing, error) {
	ls, err := s.many(ctx, where+` LIMIT 1`, args...)
	if err != nil {
		return nil, err
	}
	if len(ls) == 0 {
		return nil, apperr.NotFound("err.store.no_listing_found")
	}
	return ls[0], nil
}

func (s *DB) many(ctx context.Context, where string, args ...any) ([]*listing.Listing, error) {
	return collect(ctx, s.db, "query listings", scanListing, `SELECT `+listingColumns+` FROM listings `+where, args...)
}

func listingArgs(l *listing.Listing) ([]any, error) {
	categories, err := json.Marshal(l.Categories)
	if err != nil {
		return nil, fmt.Errorf("store: encode categories: %w", err)
	}
	services, err := json.Marshal(nonNil(l.Services))
	if err != nil {
		return nil, fmt.Errorf("store: encode services: %w", err)
	}
	hours, err := json.Marshal(l.OpeningHours)
	if err != nil {
		return nil, fmt.Errorf("store: encode opening hours: %w", err)
	}
	provenance, err := json.Marshal(nonNilMap(l.Provenance))
	if err != nil {
		return nil, fmt.Errorf("store: encode provenance: %w", err)
	}
	verified, err := json.Marshal(nonNilMap(l.VerifiedFields))
	if err != nil {
		return nil, fmt.Errorf("store: encode verified fields: %w", err)
	}
	conditions, err := json.Marshal(l.Conditions)
	if err != nil {
		return nil, fmt.Errorf("store: encode conditions: %w", err)
	}
	marks, err := json.Marshal(nonNilMarks(l.Marks))
	if err != nil {
		return nil, fmt.Errorf("store: encode marks: %w", err)
	}
	return []any{
		l.ID, l.Slug, l.Name, l.OrgNumber, string(categories), string(services), l.DescriptionNB, l.DescriptionEN,
		l.Address.Street, l.Address.Postcode, l.Address.City, l.Location.Lat, l.Location.Lng, l.District,
		l.Phone, l.Email, l.Website, string(hours),
		l.PriceInfo, l.PriceFromNOK, l.AcceptsRepairVoucher, l.WheelchairAccessible, l.Status, l.HideReason,
		optionalTime(l.VerifiedAt), l.VerifiedBy, optionalTime(l.ConfirmedAt), l.Source.Kind, l.Source.Ref, l.Source.Attribution,
		formatTime(l.CreatedAt), formatTime(l.UpdatedAt), l.Version, string(provenance), string(verified), l.ApproximatePosition,
		string(conditions), string(marks), l.AcceptsGiftCard, l.Kind,
	}, nil
}

func nonNilMarks(m []listing.Mark) []listing.Mark {
	if m == nil {
		return []listing.Mark{}
	}
	return m
}

// nonNilMap encodes as {} rather than null.
func nonNilMap[M ~map[K]V, K comparable, V any](m M) M {
	if m == nil {
		return M{}
	}
	return m
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func optionalTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return formatTime(*t)
}

type scanner interface{ Scan(dest ...any) error }

func scanListing(row scanner) (*listing.Listing, error) {
	var (
		l                                                                    listing.Listing
		categories, services, hours, provenance, verified, conditions, marks string
		priceFrom                                                            sql.NullInt64
	)
	err := row.Scan(&l.ID, &l.Slug, &l.Name, &l.OrgNumber, &categories, &services, &l.DescriptionNB, &l.DescriptionEN,
		&l.Address.Street, &l.Address.Postcode, &l.Address.City, &l.Location.Lat, &l.Location.Lng, &l.District,
		&l.Phone, &l.Email, &l.Website, &hours,
		&l.PriceInfo, &priceFrom, &l.AcceptsRepairVoucher, &l.WheelchairAccessible, &l.Status, &l.HideReason,
		optionalTimeIn(&l.VerifiedAt), &l.VerifiedBy, optionalTimeIn(&l.ConfirmedAt), &l.Source.Kind, &l.Source.Ref, &l.Source.Attribution,
		timeIn(&l.CreatedAt), timeIn(&l.UpdatedAt), &l.Version, &provenance, &verified, &l.ApproximatePosition, &conditions, &marks, &l.AcceptsGiftCard, &l.Kind)
	if err != nil {
		return nil, fmt.Errorf("store: scan listing: %w", err)
	}
	for _, f := range []struct {
		raw  string
		into any
	}{{categories, &l.Categories}, {services, &l.Services}, {hours, &l.OpeningHours}, {provenance, &l.Provenance}, {verified, &l.VerifiedFields}, {conditions, &l.Conditions}, {marks, &l.Marks}} {
		if err := json.Unmarshal([]byte(f.raw), f.into); err != nil {
			return nil, fmt.Errorf("store: decode listing %s: %w", l.ID, err)
		}
	}
	l.PriceFromNOK = optionalInt(priceFrom)
	return &l, nil
}

func (s *DB) inTx(ctx context.Context, fn func(*txn) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}
