package reminder_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/listing"
	"github.com/bergenreparerer/reparerer/internal/mail"
	"github.com/bergenreparerer/reparerer/internal/reminder"
	"github.com/bergenreparerer/reparerer/internal/testenv"
)

func TestStaleListingsAndUnansweredReminders(t *testing.T) {
	ctx := context.Background()
	db := testenv.Store(t)
	districts := testenv.Districts(t)
	messages := testenv.Messages(t)
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	listings := &listing.Service{Store: db, Districts: districts, Now: clock}
	log := slog.New(slog.DiscardHandler)
	svc := &reminder.Service{Store: db, Listings: listings, Owners: db, Mailer: &mail.Log{Log: log}, Messages: messages,
		Now: clock, Log: log, BaseURL: "http://localhost", Interval: 90 * 24 * time.Hour}

	recently, long := now.AddDate(0, -1, 0), now.AddDate(-2, 0, 0)
	add := func(name, email string, lat, lng float64, verified *time.Time) *listing.Listing {
		l := &listing.Listing{Name: name, Categories: []string{"sko"}, Email: email, Status: listing.StatusPublished,
			Source: listing.Source{Kind: listing.SourceMunicipality}, Location: listing.Location{Lat: lat, Lng: lng}, VerifiedAt: verified}
		if err := listings.Create(ctx, l, listing.Change{Actor: "cli", Action: listing.ActionCreate}); err != nil {
			t.Fatal(err)
		}
		return l
	}
	add("Fersk", "", 60.3929, 5.3241, &recently)                          // checked a month ago: not stale
	never := add("Aldri sjekket", "post@aldri.example", 60.47, 5.33, nil) // Åsane
	old := add("Gammel", "", 60.3929, 5.3241, &long)                      // Bergenhus, nobody to ask

	stale, err := svc.Stale(ctx, 365*24*time.Hour, reminder.SortChecked)
	if err != nil {
		t.Fatal(err)
	}
	if len(stale) != 2 || stale[0].Listing.ID != never.ID || stale[1].Listing.ID != old.ID {
		t.Fatalf("stale %v, want never checked first, then the old one", names(stale))
	}
	if !stale[0].Reachable || stale[1].Reachable || stale[0].Checked != nil || !stale[1].Checked.Equal(long) {
		t.Errorf("stale %+v", stale)
	}
	byDistrict, _ := svc.Stale(ctx, 365*24*time.Hour, reminder.SortDistrict)
	if byDistrict[0].Listing.ID != old.ID { // Bergenhus before Åsane (names, not slugs: "asane" < "bergenhus")
		t.Errorf("by district %v", names(byDistrict))
	}
	if _, err := svc.Stale(ctx, time.Hour, "drop table"); err == nil {
		t.Error("an unknown order is refused")
	}

	asked, err := svc.Ask(ctx, []string{never.ID, old.ID})
	if err != nil || asked.Sent != 1 || len(asked.NoAddress) != 1 {
		t.Fatalf("asked %+v %v", asked, err)
	}
	if since, err := svc.UnansweredSince(ctx, never); err != nil || since != nil {
		t.Errorf("just asked: %v %v, want nothing yet", since, err)
	}
	sent := now
	now = now.Add(reminder.AnswerWindow + time.Hour)
	since, err := svc.UnansweredSince(ctx, never)
	if err != nil || since == nil || !since.Equal(sent) {
		t.Errorf("unanswered since %v %v, want %v", since, err, sent)
	}
	stale, _ = svc.Stale(ctx, 365*24*time.Hour, reminder.SortAsked)
	if stale[len(stale)-1].Listing.ID != never.ID || !stale[len(stale)-1].Unanswered {
		t.Errorf("by asked %+v", stale)
	}
}

func names(ss []reminder.Stale) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.Listing.Name
	}
	return out
}
