package importer

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/agnivade/levenshtein"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"

	"github.com/bergenreparerer/reparerer/internal/apperr"
	"github.com/bergenreparerer/reparerer/internal/district"
	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/postcode"
	"github.com/bergenreparerer/reparerer/internal/suggestion"
)

// Problem is one thing wrong with a row. Code names it for the preview
// (org_number, postcode, outside_bergen, category, location, name,
// duplicate_row, not_repair, invalid); Value is what the file said.
type Problem struct {
	Field, Code, Value string
	// Err is the validator's own error, for invalid: its message key
	// and arguments, rendered in the reader's language.
	Err *apperr.Error
}

// Row is one record of an uploaded file, as read and checked.
type Row struct {
	// Line is the line of a CSV file or the number of a GeoJSON feature.
	Line int
	// Listing is what the row describes, normalised when it has no problems.
	Listing  *listing.Listing
	Problems []Problem
	// Approximate is set when the position is the postcode's centre.
	Approximate bool
}

// Actions a plan step may take.
const (
	Create    = "create"
	Update    = "update"
	Unchanged = "unchanged"
	// Duplicate: the row looks like a listing from elsewhere; the admin
	// decides to merge (fill that listing's empty fields), create a new
	// listing anyway, or skip the row.
	Duplicate = "duplicate"
	Invalid   = "invalid"
)

// Decisions for a duplicate.
const (
	Merge    = "merge"
	CreateAs = "create"
	SkipRow  = "skip"
)

// DuplicateDistance is how near a listing with a similar name must be to
// count as the same place, in metres.
const DuplicateDistance = 50.0

// Step is what confirming would do with one row.
type Step struct {
	Row
	Action string
	// Existing is the listing the row updates, matches or duplicates.
	Existing *listing.Listing
	// Match says why a duplicate was found: "org_number" or "name_nearby".
	Match     string
	DistanceM int
	// Changes are the fields an update (or a merge) would change.
	Changes []listing.FieldChange
	// Suggestions are the row's values for fields people have set since
	// the last import: proposed to an editor, never written.
	Suggestions []suggestion.Suggestion
	// merged is Existing with the row's values applied.
	merged *listing.Listing
}

// Plan is the dry run of a file: a step per row.
type Plan struct {
	Steps []Step
}

// Count returns how many steps take the action.
func (p Plan) Count(action string) int {
	n := 0
	for _, s := range p.Steps {
		if s.Action == action {
			n++
		}
	}
	return n
}

// Planner reads import files and plans and applies them.
type Planner struct {
	Listings  *listing.Service
	Districts *district.Map
	Postcodes *postcode.Book
	// Suggestions takes the values that differ from ones people set.
	Suggestions suggestion.Store
	// Progress, when set, hears after each row how many of how many are
	// written (an import that takes a while says how far it is).
	Progress func(done, total int)
	// Geocoder places rows that have a street address but no coordinates;
	// nil leaves them at their postcode's centre, marked approximate.
	Geocoder listing.Locator
}

// locate gives rows at their postcode's centre their address's position
// when the geocoder finds it; an outage leaves them approximate.
func (p *Planner) locate(ctx context.Context, rows []Row) {
	if p.Geocoder == nil {
		return
	}
	for i := range rows {
		r := &rows[i]
		if !r.Approximate || len(r.Problems) > 0 || r.Listing.Address.Street == "" {
			continue
		}
		if at, ok, err := p.Geocoder.Locate(ctx, r.Listing.Address.Street, r.Listing.Address.Postcode); err == nil && ok {
			r.Listing.Location, r.Listing.ApproximatePosition, r.Approximate = at, false, false
		}
	}
}

// ReadGeoJSON reads an OpenStreetMap GeoJSON export into rows.
func (p *Planner) ReadGeoJSON(data []byte) ([]Row, error) {
	features, err := readFeatures(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFile, err)
	}
	if len(features) > MaxRows {
		return nil, fmt.Errorf("%w: more than %d features; split the file", ErrFile, MaxRows)
	}
	rows := make([]Row, 0, len(features))
	for i, f := range features {
		l, _, reason := featureListing(f, nil)
		row := Row{Line: i + 1, Listing: l}
		if reason != "" {
			row.Problems = []Problem{{Code: "not_repair", Value: reason}}
		} else {
			p.check(&row)
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// problemCodes turns the validator's fields into the preview's codes.
var problemCodes = map[string]string{
	"org_number": "org_number", "address.postcode": "postcode", "location": "outside_bergen",
	"categories": "category", "name": "name",
}

// check normalises the row's listing and records every problem.
func (p *Planner) check(row *Row) {
	for field, e := range listing.Problems(listing.Normalize(row.Listing, p.Districts)) {
		code, ok := problemCodes[field]
		if !ok {
			code = "invalid"
		}
		switch {
		case code == "category" && hasCode(row.Problems, "category"):
			continue // already said, with the value
		case code == "outside_bergen" && (hasCode(row.Problems, "postcode") || hasCode(row.Problems, "location")):
			continue // no position to be outside of
		}
		row.Problems = append(row.Problems, Problem{Field: field, Code: code, Value: listing.FieldText(row.Listing, field), Err: e})
	}
}

func hasCode(ps []Problem, code string) bool {
	return slices.ContainsFunc(ps, func(p Problem) bool { return p.Code == code })
}

// Plan works out, without writing, what importing the rows would do.
func (p *Planner) Plan(ctx context.Context, rows []Row) (Plan, error) {
	p.locate(ctx, rows)
	all, err := p.Listings.Store.All(ctx)
	if err != nil {
		return Plan{}, err
	}
	// One read of every listing serves both matches: by source and by
	// duplicate, without a query per row.
	bySource := make(map[listing.Source]*listing.Listing, len(all))
	for _, l := range all {
		if l.Source.Ref != "" {
			bySource[listing.Source{Kind: l.Source.Kind, Ref: l.Source.Ref}] = l
		}
	}
	byPlace := index(all)
	var plan Plan
	seen := map[string]int{} // source ref → line, to catch a row twice in a file
	for _, row := range rows {
		step := Step{Row: row, Action: Invalid}
		if len(row.Problems) == 0 {
			ref := row.Listing.Source.Ref
			if line, twice := seen[ref]; twice {
				step.Problems = []Problem{{Code: "duplicate_row", Value: fmt.Sprint(line)}}
			} else {
				seen[ref] = row.Line
				p.planRow(&step, bySource, byPlace)
			}
		}
		plan.Steps = append(plan.Steps, step)
	}
	return plan, nil
}

func (p *Planner) planRow(step *Step, bySource map[listing.Source]*listing.Listing, known *known) {
	cand := step.Listing
	if existing, ok := bySource[listing.Source{Kind: cand.Source.Kind, Ref: cand.Source.Ref}]; ok {
		// The row's own listing from an earlier import: the file writes
		// the fields it still feeds; what people set since is proposed.
		merged, suggested := feed(existing, cand, "import "+cand.Source.Ref)
		step.Suggestions = suggested
		step.setMatch(existing, merged, Update, "")
		return
	}
	if dup, match, dist := findDuplicate(cand, known, step.Approximate); dup != nil {
		merged := *dup
		fillEmpty(&merged, cand)
		step.setMatch(dup, &merged, Duplicate, match)
		step.DistanceM = dist
		return
	}
	step.Action = Create
	step.Changes = listing.Diff(nil, cand) // a new row's values, for the preview
}

func (s *Step) setMatch(existing, merged *listing.Listing, action, match string) {
	s.Existing, s.merged, s.Match = existing, merged, match
	s.Changes = listing.Diff(existing, merged)
	s.Action = action
	if (action == Update || match == "org_number") && len(s.Changes) == 0 && len(s.Suggestions) == 0 {
		// The same file twice changes nothing, and neither does a business
		// known by its organisation number. A duplicate by name stays the
		// editor's decision even when merging would add nothing: it may be
		// another business.
		s.Action = Unchanged
	}
}

// fillEmpty merges a row into a listing from elsewhere: it adds what the
// listing lacks and never overwrites what people have written.
func fillEmpty(dst, src *listing.Listing) {
	for _, f := range []struct{ to, from *string }{
		{&dst.OrgNumber, &src.OrgNumber}, {&dst.Phone, &src.Phone}, {&dst.Website, &src.Website}, {&dst.Email, &src.Email},
	} {
		if *f.to == "" {
			*f.to = *f.from
		}
	}
	if dst.Address.Street == "" {
		dst.Address = src.Address
	}
	dst.Categories = union(dst.Categories, src.Categories)
	dst.Services = union(dst.Services, src.Services)
}

func union(a, b []string) []string {
	out := append([]string(nil), a...)
	for _, v := range b {
		if !contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

func contains(vs []string, v string) bool {
	return slices.ContainsFunc(vs, func(x string) bool { return strings.EqualFold(x, v) })
}

// findDuplicate finds a listing that is probably the same business: the
// same organisation number, or a similar name within DuplicateDistance,
// or — for a row placed at its postcode's centre, whose distance says
// little — a similar name at the same street address (or, without one, in
// the same postcode). Two different organisation numbers are two
// businesses, however alike their names.
func findDuplicate(cand *listing.Listing, k *known, approximate bool) (*listing.Listing, string, int) {
	here := orb.Point{cand.Location.Lng, cand.Location.Lat}
	distance := func(l *listing.Listing) float64 { return geo.Distance(here, orb.Point{l.Location.Lng, l.Location.Lat}) }
	if i, ok := k.byOrg[cand.OrgNumber]; ok && cand.OrgNumber != "" {
		return k.all[i], "org_number", int(distance(k.all[i]))
	}
	name, street := comparableName(cand.Name), comparableStreet(cand.Address.Street)
	for _, i := range k.near(cand, approximate) {
		l := k.all[i]
		if cand.OrgNumber != "" && l.OrgNumber != "" || !similarNames(name, k.names[i]) {
			continue
		}
		if d := distance(l); d <= DuplicateDistance {
			return l, "name_nearby", int(d)
		}
		if approximate && l.Address.Postcode == cand.Address.Postcode && street == comparableStreet(l.Address.Street) {
			return l, "name_address", int(distance(l))
		}
	}
	return nil, "", 0
}

// comparableStreet is a street address without case, punctuation or
// spacing ("Marken 37", "marken37").
func comparableStreet(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}

// comparableName is a name without case, punctuation and company form.
func comparableName(name string) string {
	words := strings.FieldsFunc(strings.ToLower(name), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	kept := words[:0]
	for _, w := range words {
		switch w {
		case "as", "asa", "ans", "da", "enk", "sa":
			continue
		}
		kept = append(kept, w)
	}
	return strings.Join(kept, " ")
}

// similarNames: equal, one containing the other, or a few typos apart.
func similarNames(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	if strings.Contains(a, b) || strings.Contains(b, a) {
		return true
	}
	return levenshtein.ComputeDistance(a, b) <= max(1, min(len(a), len(b))/5)
}

// Applied is what confirming a plan wrote.
type Applied struct {
	Created, Updated, Merged, Skipped int
	// Suggested counts new suggestions raised for an editor.
	Suggested int
}

// Apply writes the plan. decisions holds, by line, what to do with each
// duplicate (Merge when absent). Every write goes through the listing
// service with ch in the audit log.
func (p *Planner) Apply(ctx context.Context, plan Plan, decisions map[int]string, ch listing.Change) (Applied, error) {
	var out Applied
	for i, s := range plan.Steps {
		var err error
		switch s.Action {
		case Create:
			err = p.Listings.Create(ctx, s.Listing, ch)
			out.Created++
		case Update:
			if len(s.Changes) > 0 {
				err = p.Listings.Update(ctx, s.merged, ch)
				out.Updated++
			}
		case Duplicate:
			switch decisions[s.Line] {
			case SkipRow:
				out.Skipped++
			case CreateAs:
				err = p.Listings.Create(ctx, s.Listing, ch)
				out.Created++
			default:
				err = p.Listings.Update(ctx, s.merged, ch)
				out.Merged++
			}
		}
		if err == nil && len(s.Suggestions) > 0 {
			var n int
			n, err = p.Suggestions.RaiseSuggestions(ctx, s.Suggestions)
			out.Suggested += n
		}
		if err != nil {
			return out, fmt.Errorf("importer: line %d (%s): %w", s.Line, s.Listing.Name, err)
		}
		if p.Progress != nil {
			p.Progress(i+1, len(plan.Steps))
		}
	}
	return out, nil
}
