package web

import (
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bergenreparerer/reparerer/internal/i18n"
	"github.com/bergenreparerer/reparerer/internal/paths"
)

// Every address package paths builds is a route of the one route table.
func TestEveryPathIsARoute(t *testing.T) {
	messages, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	app, err := New(Deps{Messages: messages, Log: slog.New(slog.DiscardHandler), Now: time.Now, FormKey: make([]byte, 32)})
	if err != nil {
		t.Fatal(err)
	}
	var routes []*regexp.Regexp
	for _, r := range app.GetRoutes(true) {
		if r.Method != "GET" && r.Method != "POST" {
			continue
		}
		pattern := regexp.QuoteMeta(strings.TrimSuffix(r.Path, "/"))
		pattern = regexp.MustCompile(`:[a-z]+`).ReplaceAllString(pattern, `[^/]+`)
		routes = append(routes, regexp.MustCompile(`^`+pattern+`/?$`))
	}
	built := []string{
		paths.Home, paths.About, paths.Accessibility, paths.Sitemap, paths.OpenDataCSV,
		paths.Account, paths.SignIn, paths.SignOut, paths.Register, paths.Confirm,
		paths.AdminQueue, paths.AdminFreshness, paths.AdminImport, paths.AdminVouchers, paths.AdminStats,
		paths.Listing("skomaker"), paths.ListingQR("skomaker"), paths.Report("skomaker"), paths.ReportSent("skomaker"),
		paths.Claim("skomaker"), paths.EditListing("abc123"), paths.SignInNext("/min-side"), paths.SignInLink("tok"),
		paths.ConfirmLink("id.sig"), paths.AccountNotice("saved"), paths.District("asane"),
		paths.Search(url.Values{"q": {"sko"}}), paths.AdminListing("abc123"), paths.Sticker("abc123", "svg"),
		paths.Sticker("abc123", "pdf"), paths.Poster("asane"), paths.Revert("42"), paths.AdminClaim("c1"),
		paths.CloseReport("r1"), paths.ImportConfirm("u1"),
		paths.QuoteRequest("skomaker"), paths.QuoteConfirm("tok"), paths.QuoteAnswer("tok"), paths.QuoteDeclinePage,
		paths.QuoteView("tok"), paths.QuotePDF("tok"), paths.SearchCategory("sko"),
		paths.Calendar, paths.CalendarFeed, paths.Bus, paths.AdminEvents, paths.AdminBus, paths.ListingFeed("kafe"),
		paths.OwnerEvents("abc123"), paths.OwnerEvent("abc123", "e1"), paths.OwnerEvent("abc123", "e1", "slett"),
		paths.AdminEvent("e1"), paths.AdminEvent("e1", "slett"), paths.AdminEvent("ny"),
	}
	for _, a := range []string{"verifiser", "avvis", "skjul", "vis", "bonus"} {
		built = append(built, paths.AdminAction("abc123", a))
	}
	for _, p := range built {
		u, err := url.Parse(p)
		if err != nil {
			t.Fatalf("%q: %v", p, err)
		}
		found := false
		for _, r := range routes {
			found = found || r.MatchString(u.Path)
		}
		if !found {
			t.Errorf("%s is built by package paths but is no route", p)
		}
	}
	if got := paths.Absolute("https://reparerer.bergen.kommune.no/", paths.Listing("sko")); got != "https://reparerer.bergen.kommune.no/reparator/sko" {
		t.Errorf("Absolute = %q", got)
	}
	if got := paths.Listing("a/b"); got != "/reparator/a%2Fb" {
		t.Errorf("a slug is escaped as one path segment: %q", got)
	}
}

// Nothing builds a page address by hand: only the route table and
// package paths spell them.
func TestNoPathBuiltByHand(t *testing.T) {
	handBuilt := regexp.MustCompile(`"/(reparator|min-side|admin|_/postnummer)[/"?]`)
	files, _ := filepath.Glob("../*/*.go")
	more, _ := filepath.Glob("*/*.go")
	files = append(files, more...)
	if len(files) < 60 {
		t.Fatalf("found only %d files", len(files))
	}
	for _, f := range files {
		base := filepath.Base(f)
		if strings.HasSuffix(f, "_test.go") || base == "routes.go" || strings.Contains(f, "/paths/") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range handBuilt.FindAllString(string(src), -1) {
			t.Errorf("%s builds %s… by hand; use package paths", f, m)
		}
	}
}
