package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/bergenreparerer/reparerer/internal/listing"
)

// backfillProvenance gives listings written before provenance was kept
// (an empty provenance) the origins their audit history shows: each
// entry's writer for the fields it changed. It runs when the store opens
// and touches only those listings; it is not a write of theirs (no
// version, no audit entry, nothing to re-index).
func (s *DB) backfillProvenance(ctx context.Context) error {
	ids, err := collect(ctx, s.db, "listings without provenance", func(row scanner) (string, error) {
		var id string
		return id, row.Scan(&id)
	}, `SELECT id FROM listings WHERE provenance = '{}'`)
	if err != nil {
		return err
	}
	for _, id := range ids {
		l, err := s.Get(ctx, id)
		if err != nil {
			return err
		}
		history, err := s.History(ctx, id)
		if err != nil {
			return err
		}
		p := listing.Provenance{}
		for _, e := range history {
			source := listing.OriginOf(listing.Change{Actor: e.Actor, Action: e.Action}, l)
			for _, c := range e.Changes {
				p[c.Field] = listing.Origin{Source: source, At: e.At, By: e.Actor}
			}
		}
		for field := range p {
			if !slices.Contains(listing.ProvenanceFields, field) {
				delete(p, field)
			}
		}
		body, err := json.Marshal(p)
		if err != nil {
			return fmt.Errorf("store: encode provenance of %s: %w", id, err)
		}
		if _, err := s.db.ExecContext(ctx, `UPDATE listings SET provenance = ? WHERE id = ? AND provenance = '{}'`, string(body), id); err != nil {
			return fmt.Errorf("store: backfill provenance of %s: %w", id, err)
		}
	}
	return nil
}
