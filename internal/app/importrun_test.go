package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// A confirmed import that takes a while has a progress page any instance
// can show — rows written of all, the rate, about how long is left — with
// a status for its script; one whose instance stopped says so and offers
// the file again, and confirming it again finishes it.
func TestImportProgressPage(t *testing.T) {
	e := start(t, setup{})
	admin := e.adminVisitor()
	preview := admin.upload("liste.csv", "navn;postnummer;kategori\nSkomaker Progresjon;5003;sko\nSkredder Progresjon;5003;klaer\n")
	m := regexp.MustCompile(`action="/admin/import/([^"/]+)"`).FindStringSubmatch(preview.Body)
	if m == nil {
		t.Fatalf("no upload in the preview: %d", preview.Status)
	}
	id, page := m[1], "/admin/import/"+m[1]
	ctx := context.Background()

	// Never confirmed: the page is the preview.
	if a := admin.get(page); a.Status != http.StatusOK || !strings.Contains(a.Body, `action="`+page+`"`) {
		t.Fatalf("an unconfirmed upload's page: %d", a.Status)
	}

	// Under way (as another instance writes it): 400 of 1,000 rows in 20 s.
	now := e.clock.Now().UTC()
	if ok, err := e.app.Store.StartRun(ctx, id, 1000, now.Add(-20*time.Second), now.Add(-time.Minute)); !ok || err != nil {
		t.Fatalf("start: %v %v", ok, err)
	}
	if ok, _ := e.app.Store.StartRun(ctx, id, 1000, now, now.Add(-time.Minute)); ok {
		t.Error("a run under way was started a second time")
	}
	if err := e.app.Store.ProgressRun(ctx, id, 400, now); err != nil {
		t.Fatal(err)
	}
	a := admin.get(page)
	a.Body = spaced.Replace(a.Body)
	for _, want := range []string{"400 av 1 000 rader skrevet, 20 rader i sekundet, om lag 30 s igjen", `<progress id="import-bar" max="1000" value="400"`,
		`role="status" id="import-progress"`, `data-status-url="` + page + `/status"`} {
		if !strings.Contains(a.Body, want) {
			t.Errorf("the progress page lacks %q:\n%s", want, a.Body[strings.Index(a.Body, "<main"):])
		}
	}
	var status struct {
		Finished, Stalled bool
		Done, Total       int
		Text              string
	}
	if err := json.Unmarshal([]byte(admin.get(page+"/status").Body), &status); err != nil || status.Done != 400 || status.Total != 1000 || status.Finished {
		t.Errorf("status: %+v %v", status, err)
	}
	// A confirmation while it runs leads to its page, not a second run.
	if a := admin.post(page, map[string][]string{"_csrf": {csrfOf(t, preview)}}); a.Status != http.StatusSeeOther || a.Location != page {
		t.Errorf("confirming a run under way: %d → %q", a.Status, a.Location)
	}

	// Its instance stopped: after a minute without progress the page says
	// so and offers the file to confirm again.
	e.clock.Set(e.clock.Now().Add(2 * time.Minute))
	a = admin.get(page)
	a.Body = spaced.Replace(a.Body)
	if !strings.Contains(a.Body, "Importen stoppet etter 400 av 1 000 rader") || !strings.Contains(a.Body, `action="`+page+`"`) {
		t.Fatalf("a stalled run's page:\n%.2000s", a.Body)
	}
	if a := admin.post(page, map[string][]string{"_csrf": {csrfOf(t, a)}}); a.Status != http.StatusOK || !strings.Contains(a.Body, "Nye: 2") {
		t.Fatalf("confirming again: %d %.500s", a.Status, a.Body)
	}
	run, _, err := e.app.Store.Run(ctx, id)
	if err != nil || run.FinishedAt == nil || run.Result == nil || run.Result.Created != 2 || run.Done != 2 || run.Total != 2 {
		t.Errorf("the run after confirming again: %+v %v", run, err)
	}
	if a := admin.get(page); !strings.Contains(a.Body, "Importen er gjennomført") {
		t.Errorf("a finished run's page: %.500s", a.Body)
	}
}

// spaced reads the thousands separators of Norwegian numbers as spaces.
var spaced = strings.NewReplacer("\u00a0", " ", "\u202f", " ")
